import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { MYSQL_URL, PG_URL, mysqlAvailable, postgresAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, unitOf } from './helpers.ts';

const pgUp = await postgresAvailable();
const myUp = await mysqlAvailable();
const T = 'cdwtest_conn_modes';
let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-modes-');
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const source = (kind: string, url: string, table: string) => `
sources:
  - name: src
    kind: ${kind}
    connection: { url: "${url}" }
    tables:
${table}
`;
const landedIn = (runId: string) =>
  wh.all(
    `SELECT id, name, _deleted FROM raw.src__t WHERE _load_id IN (SELECT load_id FROM meta.loads WHERE run_id = $1) ORDER BY id::INT, _deleted`,
    [runId],
  );

describe.skipIf(!pgUp)('postgres read modes', () => {
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

  it('a look-back window picks up a row committed late with an older cursor, and skips the unchanged ones it re-reads', async () => {
    const config = configIn(
      tmp.dir,
      source(
        'postgres',
        PG_URL,
        `      - { name: t, table: ${T}, entity: party, primary_key: id, cursor: { column: ts, lookback: 2h }, mapping: { record_key: id, updated_at: ts } }`,
      ),
    );
    await extractOnce(config, wh);
    await c.query(`INSERT INTO ${T} VALUES (4, 'late', '2024-01-01 10:30')`);
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'src.t')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    expect(await landedIn(s.runId)).toEqual([{ id: '4', name: 'late', _deleted: false }]);
    expect(
      await wh.scalar('SELECT rows_skipped FROM meta.loads WHERE run_id = $1', [s.runId]),
    ).toBe(3);
  });

  it('rows whose cursor is NULL are read every time and land once, and again only when they change', async () => {
    const config = configIn(
      tmp.dir,
      source(
        'postgres',
        PG_URL,
        `      - { name: t, table: ${T}, entity: party, primary_key: id, cursor: ts, mapping: { record_key: id, updated_at: ts } }`,
      ),
    );
    const s1 = await extractOnce(config, wh);
    expect(unitOf(s1, 'src.t')).toMatchObject({ rowsOut: 3 });
    await c.query(`UPDATE ${T} SET name = 'c2' WHERE id = 3`);
    const s2 = await extractOnce(config, wh);
    expect(await landedIn(s2.runId)).toEqual([{ id: '3', name: 'c2', _deleted: false }]);
  });

  it('full mode without a cursor lands only what changed, and deleted keys as tombstones', async () => {
    const config = configIn(
      tmp.dir,
      source(
        'postgres',
        PG_URL,
        `      - { name: t, table: ${T}, entity: party, primary_key: id, mode: full, detect_deletes: true, mapping: { record_key: id } }`,
      ),
    );
    await extractOnce(config, wh);
    await c.query(
      `UPDATE ${T} SET name = 'b2' WHERE id = 2; DELETE FROM ${T} WHERE id = 1; INSERT INTO ${T} VALUES (5, 'e', NULL)`,
    );
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'src.t')).toMatchObject({ rowsIn: 2, rowsOut: 2 });
    expect(await landedIn(s.runId)).toEqual([
      { id: '1', name: null, _deleted: true },
      { id: '2', name: 'b2', _deleted: false },
      { id: '5', name: 'e', _deleted: false },
    ]);
    // A key deleted and then inserted again with the same values comes back.
    await c.query(`INSERT INTO ${T} VALUES (1, 'a', '2024-01-01 10:00')`);
    const s3 = await extractOnce(config, wh);
    expect(await landedIn(s3.runId)).toEqual([{ id: '1', name: 'a', _deleted: false }]);
  });

  it('a query with chosen columns and no primary key dedupes re-read rows by the whole row', async () => {
    const config = configIn(
      tmp.dir,
      source(
        'postgres',
        PG_URL,
        `      - { name: t, query: "SELECT id, upper(name) AS name FROM ${T} WHERE id < 3", columns: [id, name], entity: party, mode: full, mapping: { record_key: id } }`,
      ),
    );
    const s1 = await extractOnce(config, wh);
    expect(await landedIn(s1.runId)).toEqual([
      { id: '1', name: 'A', _deleted: false },
      { id: '2', name: 'B', _deleted: false },
    ]);
    await c.query(`UPDATE ${T} SET name = 'bb' WHERE id = 2`);
    const s2 = await extractOnce(config, wh);
    expect(unitOf(s2, 'src.t')).toMatchObject({ rowsIn: 1, rowsOut: 1 });
    expect(await landedIn(s2.runId)).toEqual([{ id: '2', name: 'BB', _deleted: false }]);
    expect(
      await wh.all(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'src__t' AND NOT starts_with(column_name, '_')`,
      ),
    ).toEqual([{ column_name: 'id' }, { column_name: 'name' }]);
  });

  it('an empty key set never turns every landed row into a tombstone, and says so (run partial)', async () => {
    const config = configIn(
      tmp.dir,
      source(
        'postgres',
        PG_URL,
        `      - { name: t, table: ${T}, entity: party, primary_key: id, mode: full, detect_deletes: true, mapping: { record_key: id } }`,
      ),
    );
    await extractOnce(config, wh);
    await c.query(`DELETE FROM ${T}`);
    const s = await extractOnce(config, wh);
    expect(s.status).toBe('partial');
    const u = unitOf(s, 'src.t');
    expect(u).toMatchObject({ status: 'warning', rowsIn: 0 });
    expect(u.error).toMatch(
      /^the source listed no keys while raw holds \d+ live keys; no deletes applied/,
    );
    expect(await wh.scalar('SELECT count(*) FROM raw.src__t WHERE _deleted')).toBe(0);
  });
});

describe.skipIf(!myUp)('mysql read modes', () => {
  let c: mysql.Connection;
  beforeAll(async () => {
    c = await mysql.createConnection({ uri: MYSQL_URL });
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });

  it('a look-back window picks up a late row by DATETIME cursor', async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(`CREATE TABLE ${T} (id INT PRIMARY KEY, name VARCHAR(10), ts DATETIME)`);
    await c.query(
      `INSERT INTO ${T} VALUES (1, 'a', '2024-01-01 10:00:00'), (2, 'b', '2024-01-01 11:00:00')`,
    );
    const config = configIn(
      tmp.dir,
      source(
        'mysql',
        MYSQL_URL,
        `      - { name: t, table: ${T}, entity: party, primary_key: id, cursor: { column: ts, lookback: 1h }, mapping: { record_key: id, updated_at: ts } }`,
      ),
    );
    await extractOnce(config, wh);
    await c.query(
      `INSERT INTO ${T} VALUES (3, 'late', '2024-01-01 10:30:00'), (4, 'old', '2024-01-01 09:00:00')`,
    );
    const s = await extractOnce(config, wh);
    expect(await landedIn(s.runId)).toEqual([{ id: '3', name: 'late', _deleted: false }]);
  });
});
