import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { MYSQL_URL, PG_URL, mysqlAvailable, postgresAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, lastLoad, rawRows, rejected, unitOf } from './helpers.ts';

// Issue 16, point 2 for database sources: a row with a 10 MB value is landed or rejected, never
// lost (DuckDB dropped a record longer than its read buffer, and the lines after one longer
// than its limit, without a word).

const pgUp = await postgresAvailable();
const myUp = await mysqlAvailable();
const T = 'cdwtest_conn_long_rows';
const MB10 = 10 * 1024 * 1024;
let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-long-');
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const config = (kind: string, url: string) =>
  configIn(
    tmp.dir,
    `
sources:
  - name: src
    kind: ${kind}
    connection: { url: "${url}" }
    tables:
      - { name: t, table: ${T}, entity: party, primary_key: id, mapping: { record_key: id, full_name: note } }
`,
  );

async function expectOneRejected(location: RegExp): Promise<void> {
  const s = await extractOnce(config(kindOf.kind, kindOf.url), wh);
  expect(unitOf(s, 'src.t')).toMatchObject({ rowsIn: 5, rowsOut: 4, rowsRejected: 1 });
  const l = await lastLoad(wh, 'src', 't');
  expect(l.rows_read).toBe(l.rows_landed + l.rows_skipped + l.rows_rejected);
  const r = await rejected(wh, 'src', 't');
  expect(r).toHaveLength(1);
  expect(r[0]!.location).toMatch(location);
  expect(r[0]!.reason).toMatch(
    /^record longer than 2097152 bytes, the largest cdw lands \(\d+ bytes\)$/,
  );
  expect((await rawRows(wh, 'src__t', ['id'], 'id::INT')).map((x) => x.id)).toEqual([
    '1',
    '2',
    '4',
    '5',
  ]);
}
const kindOf = { kind: '', url: '' };

describe.skipIf(!pgUp)('postgres: a 10 MB value', () => {
  let c: pg.Client;
  beforeAll(async () => {
    c = new pg.Client(PG_URL);
    await c.connect();
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(`CREATE TABLE ${T} (id int PRIMARY KEY, note text)`);
    await c.query(
      `INSERT INTO ${T} SELECT g, CASE WHEN g = 3 THEN repeat('x', ${MB10}) ELSE 'n' || g END FROM generate_series(1, 5) g`,
    );
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });

  it('is rejected with where it was; the other rows land', async () => {
    Object.assign(kindOf, { kind: 'postgres', url: PG_URL });
    await expectOneRejected(new RegExp(`^"${T}" COPY record 3$`));
  });
});

describe.skipIf(!myUp)('mysql: a 10 MB value', () => {
  let c: mysql.Connection;
  beforeAll(async () => {
    c = await mysql.createConnection(MYSQL_URL);
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(`CREATE TABLE ${T} (id int PRIMARY KEY, note longtext)`);
    for (let i = 1; i <= 5; i++)
      await c.query(`INSERT INTO ${T} VALUES (?, ?)`, [i, i === 3 ? 'x'.repeat(MB10) : `n${i}`]);
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });

  it('is rejected with where it was; the other rows land', async () => {
    Object.assign(kindOf, { kind: 'mysql', url: MYSQL_URL });
    await expectOneRejected(new RegExp(`^\`${T}\` row 3$`));
  });
});
