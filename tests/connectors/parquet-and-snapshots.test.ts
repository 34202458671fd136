import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { configIn, extractOnce, lastLoad, rawRows, unitOf } from './helpers.ts';

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
const inDir = (name: string) => path.join(tmp.dir, 'in', name);
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-parquet-');
  mkdirSync(path.join(tmp.dir, 'in'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

/** A file written `minutesAgo` (its order among the table's files, and its last line final). */
const age = (file: string, minutesAgo: number) => {
  const t = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(file, t, t);
};

/** Writes a Parquet file with DuckDB from a SELECT. */
async function parquet(name: string, select: string, minutesAgo: number): Promise<void> {
  await wh.run(`COPY (${select}) TO ${quoteLiteral(inDir(name))} (FORMAT parquet)`);
  age(inDir(name), minutesAgo);
}

const parquetConfig = (extra = '') =>
  configIn(
    tmp.dir,
    `
sources:
  - name: crm
    kind: parquet
    connection: { dir: in }
    tables:
      - name: people
        entity: party
        path: "people_*.parquet"
        primary_key: id
        mapping: { record_key: id, full_name: name, birth_date: born }
${extra}`,
  );

describe('parquet source kind', () => {
  it('lands every column as text (nested values as JSON, instants in UTC), nothing on a rerun, and only the changed rows of a re-exported file', async () => {
    await parquet(
      'people_1.parquet',
      `SELECT * FROM (VALUES
         (1, 'Ann', DATE '1980-02-03', 12.50::DECIMAL(6,2), TIMESTAMPTZ '2024-01-01 10:00:00+02', ['a', 'b'], {'city': 'York'}),
         (2, 'Bo', NULL, NULL, NULL, NULL, NULL)) t(id, name, born, spent, seen, tags, address)`,
      10,
    );
    const config = parquetConfig();
    const s1 = await extractOnce(config, wh);
    expect(unitOf(s1, 'crm.people')).toMatchObject({ status: 'succeeded', rowsIn: 2, rowsOut: 2 });
    expect(
      await rawRows(wh, 'crm__people', [
        'id',
        'name',
        'born',
        'spent',
        'seen',
        'tags',
        'address',
        '_file',
      ]),
    ).toEqual([
      {
        id: '1',
        name: 'Ann',
        born: '1980-02-03',
        spent: '12.50',
        seen: '2024-01-01 08:00:00+00',
        tags: '["a","b"]',
        address: '{"city":"York"}',
        _file: 'people_1.parquet',
      },
      {
        id: '2',
        name: 'Bo',
        born: null,
        spent: null,
        seen: null,
        tags: null,
        address: null,
        _file: 'people_1.parquet',
      },
    ]);
    expect(
      await wh.all(
        `SELECT column_name, source_type FROM meta.source_columns WHERE source = 'crm' ORDER BY position`,
      ),
    ).toEqual([
      { column_name: 'id', source_type: 'INTEGER' },
      { column_name: 'name', source_type: 'VARCHAR' },
      { column_name: 'born', source_type: 'DATE' },
      { column_name: 'spent', source_type: 'DECIMAL(6,2)' },
      { column_name: 'seen', source_type: 'TIMESTAMP WITH TIME ZONE' },
      { column_name: 'tags', source_type: 'VARCHAR[]' },
      { column_name: 'address', source_type: 'STRUCT(city VARCHAR)' },
    ]);
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'crm.people')).toMatchObject({ rowsIn: 0, rowsOut: 0 });

    await parquet(
      'people_1.parquet',
      `SELECT * FROM (VALUES
         (1, 'Ann', DATE '1980-02-03', 12.50::DECIMAL(6,2), TIMESTAMPTZ '2024-01-01 10:00:00+02', ['a', 'b'], {'city': 'York'}),
         (2, 'Bo Changed', NULL, NULL, NULL, NULL, NULL)) t(id, name, born, spent, seen, tags, address)`,
      5,
    );
    const s3 = await extractOnce(config, wh);
    expect(unitOf(s3, 'crm.people')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    const l = await lastLoad(wh, 'crm', 'people');
    expect(l).toMatchObject({ rows_read: 2, rows_landed: 1, rows_skipped: 1, rows_rejected: 0 });
  });

  it('a file that is not Parquet fails its table with what it is and what to do', async () => {
    writeFileSync(inDir('people_1.parquet'), 'id,name\n1,Ann\n');
    age(inDir('people_1.parquet'), 5);
    const s = await extractOnce(parquetConfig(), wh);
    expect(unitOf(s, 'crm.people')).toMatchObject({
      status: 'failed',
      error:
        "source crm table people: people_1.parquet is not a Parquet file DuckDB can read (no valid footer); remove it from the folder or narrow the table's path — nothing of this load landed",
    });
  });
});

describe('full-snapshot files: delete detection', () => {
  const header = 'id,name\n';
  const rows = (ids: number[], changed: number[] = []) =>
    ids.map((i) => `${i},name${i}${changed.includes(i) ? ' changed' : ''}`).join('\n');
  const csvConfig = () =>
    configIn(
      tmp.dir,
      `
sources:
  - name: erp
    kind: csv
    connection: { dir: in }
    tables:
      - name: accounts
        entity: party
        path: "accounts_*.csv"
        primary_key: id
        snapshot: true
        detect_deletes: true
        mapping: { record_key: id, full_name: name }
`,
    );
  const snapshot = (day: number, body: string) => {
    const f = inDir(`accounts_2024010${day}.csv`);
    writeFileSync(f, body);
    age(f, 100 - day);
  };
  const live = () =>
    wh.all(
      `SELECT id FROM (SELECT id, _deleted FROM raw.erp__accounts QUALIFY row_number() OVER (PARTITION BY id ORDER BY _loaded_at DESC) = 1) WHERE NOT _deleted ORDER BY id::INT`,
    );

  it('keys absent from the newest snapshot get tombstones; empty and truncated snapshots delete nothing and say so', async () => {
    snapshot(1, `${header}${rows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])}\n`);
    const s1 = await extractOnce(csvConfig(), wh);
    expect(unitOf(s1, 'erp.accounts')).toMatchObject({ status: 'succeeded', rowsOut: 10 });

    // Day 2: accounts 9 and 10 closed, account 1 renamed.
    snapshot(2, `${header}${rows([1, 2, 3, 4, 5, 6, 7, 8], [1])}\n`);
    const s2 = await extractOnce(csvConfig(), wh);
    expect(unitOf(s2, 'erp.accounts')).toMatchObject({
      status: 'succeeded',
      rowsIn: 1,
      rowsOut: 1,
    });
    expect((await lastLoad(wh, 'erp', 'accounts')).rows_read).toBe(8);
    expect(
      await wh.scalar('SELECT rows_tombstoned FROM meta.loads WHERE run_id = $1', [s2.runId]),
    ).toBe(2);
    expect((await live()).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);

    // Day 3: an export with a header and no rows: no deletes, a warning.
    snapshot(3, header);
    const s3 = await extractOnce(csvConfig(), wh);
    expect(unitOf(s3, 'erp.accounts')).toMatchObject({
      status: 'warning',
      error:
        'the snapshot accounts_20240103.csv listed no keys while raw holds 8 live keys; no deletes applied (an empty extract is not taken as "everything deleted")',
    });
    // Day 4: an export cut after three rows: no deletes either.
    snapshot(4, `${header}${rows([1, 2, 3])}\n`);
    const s4 = await extractOnce(csvConfig(), wh);
    expect(unitOf(s4, 'erp.accounts')).toMatchObject({
      status: 'warning',
      error:
        'the snapshot accounts_20240104.csv lacks 5 of 8 live keys (more than extract.max_delete_share = 0.5); no deletes applied — a truncated extract? raise max_delete_share if the deletes are real',
    });
    expect((await live()).length).toBe(8);

    // Day 5: a snapshot still being written (its last line not final) is not read yet.
    const f = inDir('accounts_20240105.csv');
    writeFileSync(f, `${header}${rows([1, 2, 3, 4, 5, 6, 7])}\n8,na`);
    const s5 = await extractOnce(csvConfig(), wh);
    expect(unitOf(s5, 'erp.accounts')).toMatchObject({ status: 'succeeded', rowsIn: 0 });
    expect((await live()).length).toBe(8);
  });

  it('a Parquet snapshot tombstones the keys it no longer has', async () => {
    await parquet(
      'people_1.parquet',
      `SELECT range AS id, 'p' || range AS name, NULL::DATE AS born FROM range(1, 6)`,
      20,
    );
    const config = parquetConfig('        snapshot: true\n        detect_deletes: true\n');
    await extractOnce(config, wh);
    await parquet(
      'people_2.parquet',
      `SELECT range AS id, 'p' || range AS name, NULL::DATE AS born FROM range(1, 5)`,
      10,
    );
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'crm.people')).toMatchObject({ status: 'succeeded', rowsIn: 0 });
    expect(await wh.all('SELECT id FROM raw.crm__people WHERE _deleted')).toEqual([{ id: '5' }]);
  });
});
