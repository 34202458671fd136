import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import { Warehouse as WarehouseDb } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rawRows, rejected, unitOf } from './helpers.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
const inDir = (name: string) => path.join(tmp.dir, 'in', name);
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-csv-');
  mkdirSync(path.join(tmp.dir, 'in'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const yaml = (table: string, key = '') => `
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - name: sales
        entity: transaction
        mapping: { record_key: id }
${key}${table}
`;

describe('csv connector', () => {
  it('lands every row of a new file as text with load columns, and nothing on a rerun', async () => {
    writeFileSync(inDir('sales_1.csv'), 'id,name,amount\n1,Ann,10\n2,"Bo, b",\n3,"",7\n');
    const config = configIn(tmp.dir, yaml('        path: "sales_*.csv"'));
    const s1 = await extractOnce(config, wh);
    expect(s1.status).toBe('succeeded');
    expect(unitOf(s1, 'pos.sales')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 3,
      rowsRejected: 0,
    });
    expect(await rawRows(wh, 'pos__sales', ['id', 'name', 'amount', '_file', '_deleted'])).toEqual([
      { id: '1', name: 'Ann', amount: '10', _file: 'sales_1.csv', _deleted: false },
      { id: '2', name: 'Bo, b', amount: null, _file: 'sales_1.csv', _deleted: false },
      { id: '3', name: '', amount: '7', _file: 'sales_1.csv', _deleted: false },
    ]);
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'pos.sales')).toMatchObject({
      status: 'succeeded',
      rowsIn: 0,
      rowsOut: 0,
      rowsRejected: 0,
    });
    expect(await wh.scalar('SELECT count(*) FROM raw.pos__sales')).toBe(3);
  });

  it('lands no row hash without a key; once a primary key is configured, a re-exported file lands only its changed rows', async () => {
    // Landed rows without a hash are hashed on the fly when their key is read again (never rewritten); rows landed by a comparing load keep theirs.
    writeFileSync(inDir('sales_1.csv'), 'id,name,amount\n1,Ann,10\n2,"Bo, b",\n3,"",7\n');
    await extractOnce(configIn(tmp.dir, yaml('        path: "sales_*.csv"')), wh);
    expect(await wh.scalar('SELECT count(*) FROM raw.pos__sales WHERE _row_hash IS NULL')).toBe(3);
    writeFileSync(inDir('sales_1.csv'), 'id,name,amount\n1,Ann,10\n2,"Bo, b",\n3,"",8\n');
    const s2 = await extractOnce(
      configIn(tmp.dir, yaml('        path: "sales_*.csv"', '        primary_key: id\n')),
      wh,
    );
    expect(unitOf(s2, 'pos.sales')).toMatchObject({
      status: 'succeeded',
      rowsIn: 1,
      rowsOut: 1,
      rowsRejected: 0,
    });
    expect(await rawRows(wh, 'pos__sales', ['id', 'amount'], '_loaded_at, id')).toEqual([
      { id: '1', amount: '10' },
      { id: '2', amount: null },
      { id: '3', amount: '7' },
      { id: '3', amount: '8' },
    ]);
    expect(
      await wh.all(
        'SELECT id, _row_hash IS NULL AS unhashed FROM raw.pos__sales ORDER BY _loaded_at, id',
      ),
    ).toEqual([
      { id: '1', unhashed: true },
      { id: '2', unhashed: true },
      { id: '3', unhashed: true },
      { id: '3', unhashed: false },
    ]);
  });

  it('lands a 60 MB file under a 64 MB memory_limit (DuckDB read buffers sized to fit; its default 32 MiB ones ran out of memory)', async () => {
    const file = inDir('sales_big.csv');
    await wh.run(`COPY (SELECT g AS id, 'name_' || g AS name, 'user' || g || '@example.com' AS email, '+1555' || lpad(g::VARCHAR, 7, '0') AS phone,
      round((g % 1000) / 10, 2) AS amount, TIMESTAMP '2024-01-01' + INTERVAL (g) SECOND AS updated_at, g % 7 = 0 AS flag, 'street ' || g || ', town' AS address
      FROM range(1, 500001) t(g)) TO '${file}' (HEADER)`);
    const small = await WarehouseDb.open(path.join(tmp.dir, 'small.duckdb'), {
      memoryLimit: '64MB',
    });
    try {
      await migrate(small);
      const s = await extractOnce(configIn(tmp.dir, yaml('        path: "sales_*.csv"')), small);
      expect(unitOf(s, 'pos.sales')).toMatchObject({
        status: 'succeeded',
        rowsIn: 500000,
        rowsOut: 500000,
        rowsRejected: 0,
      });
      expect(await small.scalar('SELECT count(DISTINCT id) FROM raw.pos__sales')).toBe(500000);
    } finally {
      small.close();
    }
  });

  it('reads a new file, the rows appended to a known one, and skips a file only touched', async () => {
    writeFileSync(inDir('sales_1.csv'), 'id,name\n1,Ann\n');
    const config = configIn(tmp.dir, yaml('        path: "sales_*.csv"'));
    await extractOnce(config, wh);
    appendFileSync(inDir('sales_1.csv'), '2,Bo\n');
    writeFileSync(inDir('sales_2.csv'), 'id,name\n3,Cy\n');
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'pos.sales')).toMatchObject({ rowsIn: 2, rowsOut: 2, rowsRejected: 0 });
    const later = new Date(Date.now() + 60_000);
    utimesSync(inDir('sales_2.csv'), later, later);
    const s3 = await extractOnce(config, wh);
    expect(unitOf(s3, 'pos.sales')).toMatchObject({ rowsIn: 0, rowsOut: 0 });
    expect(await rawRows(wh, 'pos__sales', ['id', 'name', '_file'])).toEqual([
      { id: '1', name: 'Ann', _file: 'sales_1.csv' },
      { id: '2', name: 'Bo', _file: 'sales_1.csv' },
      { id: '3', name: 'Cy', _file: 'sales_2.csv' },
    ]);
  });

  it('reads windows-1251 with a semicolon delimiter, skipped banner lines and no header', async () => {
    writeFileSync(
      inDir('export.csv'),
      iconv.encode(
        'Выгрузка кассы\r\nдата: 2024-01-02\r\n1;Пётр Иванов;Москва\r\n2;"Анна; Ка";Тверь\r\n',
        'windows-1251',
      ),
    );
    const config = configIn(
      tmp.dir,
      yaml(`        path: export.csv
        delimiter: ";"
        encoding: windows-1251
        header: false
        columns: [id, name, city]
        skip_lines: 2`),
    );
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'pos.sales')).toMatchObject({ rowsIn: 2, rowsOut: 2, rowsRejected: 0 });
    expect(await rawRows(wh, 'pos__sales', ['id', 'name', 'city'])).toEqual([
      { id: '1', name: 'Пётр Иванов', city: 'Москва' },
      { id: '2', name: 'Анна; Ка', city: 'Тверь' },
    ]);
  });

  it('strips a UTF-8 byte order mark from the header', async () => {
    writeFileSync(inDir('bom.csv'), '\uFEFFid,name\n1,Ann\n');
    const config = configIn(tmp.dir, yaml('        path: bom.csv'));
    await extractOnce(config, wh);
    expect(await rawRows(wh, 'pos__sales', ['id', 'name'])).toEqual([{ id: '1', name: 'Ann' }]);
  });

  it('rejects wrong column counts, stray quotes, invalid UTF-8 and unparseable typed values with file:line, and keeps the balance', async () => {
    writeFileSync(
      inDir('bad.csv'),
      Buffer.concat([
        Buffer.from('id,amount,paid_on\n'),
        Buffer.from('1,10.5,2024-01-02\n'),
        Buffer.from('2,abc,2024-01-02\n'),
        Buffer.from('3,7,2024-02-30\n'),
        Buffer.from('4,1,2024-01-02,extra\n'),
        Buffer.from('5\n'),
        Buffer.from([0x36, 0xc0, 0xe1, 0x2c, 0x31, 0x2c]),
        Buffer.from('2024-01-02\n'),
        Buffer.from('7,"3,2024-01-02\n'),
      ]),
    );
    const config = configIn(
      tmp.dir,
      yaml(`        path: bad.csv
        types: { amount: DOUBLE, paid_on: DATE }`),
    );
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'pos.sales')).toMatchObject({
      status: 'succeeded',
      rowsIn: 7,
      rowsOut: 1,
      rowsRejected: 6,
    });
    expect(await wh.all('SELECT id, amount, paid_on FROM raw.pos__sales')).toEqual([
      { id: '1', amount: 10.5, paid_on: new Date('2024-01-02T00:00:00Z') },
    ]);
    const r = await rejected(wh, 'pos', 'sales');
    expect(r.map(({ reason, raw, location }) => ({ reason, raw, location }))).toEqual([
      {
        reason: 'column amount: not a valid DOUBLE',
        raw: '2,abc,2024-01-02',
        location: 'bad.csv:3',
      },
      { reason: 'column paid_on: not a valid DATE', raw: '3,7,2024-02-30', location: 'bad.csv:4' },
      {
        reason: 'too many columns (expected 3)',
        raw: '4,1,2024-01-02,extra',
        location: 'bad.csv:5',
      },
      { reason: 'too few columns (expected 3)', raw: '5', location: 'bad.csv:6' },
      {
        reason: 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)',
        raw: '6\\xC0\\xE1,1,2024-01-02',
        location: 'bad.csv:7',
      },
      { reason: 'unterminated or stray quote', raw: '7,"3,2024-01-02', location: 'bad.csv:8' },
    ]);
    const load = await wh.one(
      'SELECT rows_read, rows_landed, rows_rejected FROM meta.loads WHERE run_id = $1',
      [s.runId],
    );
    expect(load).toEqual({ rows_read: 7, rows_landed: 1, rows_rejected: 6 });
  });

  it('fails its own unit with a clear error when the folder is missing, leaving other tables to land', async () => {
    writeFileSync(inDir('ok.csv'), 'id\n1\n');
    const config = configIn(
      tmp.dir,
      `
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: ok.csv }
  - name: old
    kind: csv
    connection: { dir: nowhere }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: "*.csv" }
`,
    );
    const s = await extractOnce(config, wh);
    expect(s.status).toBe('partial');
    expect(unitOf(s, 'pos.sales')).toMatchObject({ status: 'succeeded', rowsOut: 1 });
    const failed = unitOf(s, 'old.sales');
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(
      `source old table sales: ${path.join(tmp.dir, 'nowhere')} does not exist; check connection.dir and the table path in cdw.yaml`,
    );
    expect(await wh.scalar(`SELECT count(*) FROM meta.source_state WHERE source = 'old'`)).toBe(0);
    expect(await wh.one(`SELECT status, error FROM meta.loads WHERE source = 'old'`)).toEqual({
      status: 'failed',
      error: failed.error,
    });
  });
});
