import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { MYSQL_URL, PG_URL, mysqlAvailable, postgresAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, lastLoad, unitOf } from './helpers.ts';

// Issue 16, defect 5: rows whose cursor moved back beyond the look-back were skipped with no message.

const pgUp = await postgresAvailable();
const myUp = await mysqlAvailable();
const T = 'cdwtest_conn_cursor_back';
let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-cursor-');
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
      - { name: t, table: ${T}, entity: party, primary_key: id, cursor: { column: ts, lookback: 1h }, mapping: { record_key: id, full_name: name, updated_at: ts } }
`,
  );

const WARNING =
  "2 rows appeared with a cursor (ts) older than this load's window (the last load's upper bound minus the 3600 s look-back) and were not read: widen cursor.lookback, or read the table once with mode: full";

/** First night, then a row inserted far behind the cursor and a row whose cursor moved back. */
async function scenario(run: (sql: string) => Promise<unknown>, kind: string, url: string) {
  const first = await extractOnce(config(kind, url), wh);
  expect(unitOf(first, 'src.t')).toMatchObject({ status: 'succeeded', rowsOut: 3 });
  await run(`INSERT INTO ${T} VALUES (4, 'restored from a backup', '2024-01-01 08:00:00')`);
  await run(`UPDATE ${T} SET name = 'b moved back', ts = '2024-01-01 09:00:00' WHERE id = 2`);

  const s = await extractOnce(config(kind, url), wh);
  expect(s.status).toBe('partial');
  expect(unitOf(s, 'src.t')).toMatchObject({ status: 'warning', error: WARNING });
  const load = await lastLoad(wh, 'src', 't');
  expect(load.rows_behind_cursor).toBe(2);
  expect(load.warnings).toBe(WARNING);
  expect(load.rows_read).toBe(load.rows_landed + load.rows_skipped + load.rows_rejected);

  // Nothing new behind the window the next night: no warning.
  const quiet = await extractOnce(config(kind, url), wh);
  expect(unitOf(quiet, 'src.t').status).toBe('succeeded');
  expect((await lastLoad(wh, 'src', 't')).rows_behind_cursor).toBe(0);
}

describe.skipIf(!pgUp)('postgres: rows behind the cursor', () => {
  let c: pg.Client;
  beforeAll(async () => {
    c = new pg.Client(PG_URL);
    await c.connect();
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });
  beforeEach(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(`CREATE TABLE ${T} (id int PRIMARY KEY, name text, ts timestamp)`);
    await c.query(
      `INSERT INTO ${T} VALUES (1, 'a', '2024-01-01 10:00'), (2, 'b', '2024-01-01 11:00'), (3, 'c', NULL)`,
    );
  });

  it('are counted and reported in the run summary (run partial), not skipped in silence', () =>
    scenario((sql) => c.query(sql), 'postgres', PG_URL));
});

describe.skipIf(!myUp)('mysql: rows behind the cursor', () => {
  let c: mysql.Connection;
  beforeAll(async () => {
    c = await mysql.createConnection(MYSQL_URL);
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });
  beforeEach(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(`CREATE TABLE ${T} (id int PRIMARY KEY, name text, ts datetime)`);
    await c.query(
      `INSERT INTO ${T} VALUES (1, 'a', '2024-01-01 10:00'), (2, 'b', '2024-01-01 11:00'), (3, 'c', NULL)`,
    );
  });

  it('are counted and reported in the run summary (run partial), not skipped in silence', () =>
    scenario((sql) => c.query(sql), 'mysql', MYSQL_URL));
});
