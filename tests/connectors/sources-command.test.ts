import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/warehouse.ts';
import { PG_URL, postgresAvailable } from '../helpers/databases.ts';
import { captureIO } from '../helpers/cli.ts';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce } from './helpers.ts';

const pgUp = await postgresAvailable();
let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('cdw-sources-');
  mkdirSync(path.join(tmp.dir, 'in'));
  writeFileSync(path.join(tmp.dir, 'in', 'a.csv'), 'id,name\n1,Ann\n2,Bo\n3\n');
});
afterEach(() => tmp.cleanup());

const yaml = `
warehouse: { path: wh.duckdb }
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: "*.csv" }
      - { name: returns, entity: transaction, mapping: { record_key: id }, path: "returns_*.csv", enabled: false }
`;

describe('cdw sources', () => {
  it('lists every table with kind, last load, rows landed and rejected, as text and JSON', async () => {
    const config = configIn(tmp.dir, yaml);
    const before = captureIO();
    expect(await main(['node', 'cdw', '-c', config.configPath, 'sources'], before)).toBe(0);
    expect(before.outText()).toContain('nothing extracted');

    const wh = await Warehouse.open(config.warehouse.path);
    try {
      await extractOnce(config, wh);
    } finally {
      wh.close();
    }
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', config.configPath, 'sources', '--json'], io)).toBe(0);
    const states = JSON.parse(io.outText()) as Record<string, unknown>[];
    expect(states.map(({ lastLoadAt, ...s }) => ({ ...s, at: typeof lastLoadAt }))).toEqual([
      {
        source: 'pos',
        table: 'sales',
        kind: 'csv',
        where: 'csv files in in',
        enabled: true,
        mode: 'incremental',
        cursorColumn: null,
        rawTable: 'raw.pos__sales',
        lastCursor: null,
        files: 1,
        lastLoadStatus: 'committed',
        lastLoadRows: 2,
        lastLoadRejected: 1,
        lastLoadError: null,
        rawRows: 2,
        at: 'string',
      },
      {
        source: 'pos',
        table: 'returns',
        kind: 'csv',
        where: 'csv files in in',
        enabled: false,
        mode: 'incremental',
        cursorColumn: null,
        rawTable: 'raw.pos__returns',
        lastCursor: null,
        files: null,
        lastLoadStatus: null,
        lastLoadRows: null,
        lastLoadRejected: null,
        lastLoadError: null,
        rawRows: null,
        at: 'object',
      },
    ]);
    const text = captureIO();
    await main(['node', 'cdw', '-c', config.configPath, 'sources'], text);
    expect(text.outText().split('\n')[2]).toMatch(
      /^pos\.sales\s+csv\s+csv files in in\s+incremental\s+1 file\s+\S+ \S+\s+committed\s+2\s+1\s+2$/,
    );
  });
});

describe.skipIf(!pgUp)('cdw check', () => {
  it('reaches each source for real: files matched, a database connected, a missing table named', async () => {
    const config = configIn(
      tmp.dir,
      `${yaml}
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - { name: gone, table: cdwtest_conn_no_such_table, entity: party, primary_key: id, mapping: { record_key: id } }
`,
    );
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', config.configPath, 'check'], io)).toBe(1);
    const lines = io.outText().split('\n');
    expect(lines.slice(1)).toEqual([
      'ok   pos      csv files in in: sales: 1 file',
      `FAIL billing  postgres 127.0.0.1:5432/${new URL(PG_URL).pathname.slice(1)}`,
      // The problem at its config path and line (the table entry is on line 15 of the file).
      '       sources[1].tables[0].table (line 15): relation "cdwtest_conn_no_such_table" does not exist; check table: (schema.table) in cdw.yaml',
      '',
    ]);
  });
});

describe.skipIf(!pgUp)('cdw check on a database table', () => {
  it('fails a mapping, primary key or cursor that names a column the table does not have, at its line', async () => {
    const { default: pg } = await import('pg');
    const c = new pg.Client(PG_URL);
    await c.connect();
    try {
      await c.query('DROP TABLE IF EXISTS cdwtest_conn_check_cols');
      await c.query(
        'CREATE TABLE cdwtest_conn_check_cols (id int, e_mail text, updated_at timestamptz)',
      );
      const config = configIn(
        tmp.dir,
        `
sources:
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - name: people
        table: cdwtest_conn_check_cols
        entity: party
        primary_key: id
        cursor: updated
        mapping:
          record_key: id
          email: email
          full_name: "coalesce(name, e_mail)"
          updated_at: updated
`,
      );
      const io = captureIO();
      expect(await main(['node', 'cdw', '-c', config.configPath, 'check'], io)).toBe(1);
      const out = io.outText();
      for (const [at, line, column] of [
        ['sources[0].tables[0].cursor', 11, 'updated'],
        ['sources[0].tables[0].mapping.email', 14, 'email'],
        ['sources[0].tables[0].mapping.full_name', 15, 'name'],
        ['sources[0].tables[0].mapping.updated_at', 16, 'updated'],
      ] as const)
        expect(out).toContain(
          `${at} (line ${line}): column ${column} is not in the source's people`,
        );
    } finally {
      await c.query('DROP TABLE IF EXISTS cdwtest_conn_check_cols');
      await c.end();
    }
  });
});
