import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PG_URL, postgresAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rawRows, unitOf } from './helpers.ts';

const available = await postgresAvailable();
const T = 'cdwtest_conn_pg_customers';
let client: pg.Client;
let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };

const config = (extra = '') =>
  configIn(
    tmp.dir,
    `
sources:
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - name: customers
        table: ${T}
        entity: party
        primary_key: id
        cursor: updated_at
        detect_deletes: true
        mapping: { record_key: id, full_name: name, updated_at: updated_at }
${extra}`,
  );

describe.skipIf(!available)('postgres connector', () => {
  beforeAll(async () => {
    client = new pg.Client(PG_URL);
    await client.connect();
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.end();
  });
  beforeEach(async () => {
    wh = await memoryWarehouse();
    tmp = tempDir('cdw-pg-');
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.query(
      `CREATE TABLE ${T} (id int PRIMARY KEY, name text, note text, amount numeric(10,2), active boolean, updated_at timestamptz)`,
    );
    await client.query(`INSERT INTO ${T} VALUES
      (1, 'Ann', 'plain', 10.50, true, '2024-01-01 10:00:00+00'),
      (2, 'Bo, "B"', E'two\\nlines', NULL, false, '2024-01-01 11:00:00+00'),
      (3, 'Пётр', '', 0, NULL, '2024-01-01 11:00:00+00')`);
  });
  afterEach(() => {
    wh.close();
    tmp.cleanup();
  });

  it('lands rows as PostgreSQL prints them, keeping NULL apart from empty text', async () => {
    const s = await extractOnce(config(), wh);
    expect(unitOf(s, 'billing.customers')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 3,
      rowsRejected: 0,
    });
    expect(
      await rawRows(
        wh,
        'billing__customers',
        ['id', 'name', 'note', 'amount', 'active', 'updated_at', '_deleted'],
        'id::INT',
      ),
    ).toEqual([
      {
        id: '1',
        name: 'Ann',
        note: 'plain',
        amount: '10.50',
        active: 't',
        updated_at: '2024-01-01 10:00:00+00',
        _deleted: false,
      },
      {
        id: '2',
        name: 'Bo, "B"',
        note: 'two\nlines',
        amount: null,
        active: 'f',
        updated_at: '2024-01-01 11:00:00+00',
        _deleted: false,
      },
      {
        id: '3',
        name: 'Пётр',
        note: '',
        amount: '0.00',
        active: null,
        updated_at: '2024-01-01 11:00:00+00',
        _deleted: false,
      },
    ]);
    const state = await wh.one(
      'SELECT cursor_value, state::VARCHAR AS state FROM meta.source_state WHERE source = $1',
      ['billing'],
    );
    expect(state).toEqual({
      cursor_value: '2024-01-01 11:00:00+00',
      // `below`: rows under the next window's lower bound, to notice rows appearing behind the cursor.
      state: '{"cursor_column":"updated_at","lookback_seconds":0,"below":1}',
    });
  });

  it('after update, insert and delete lands exactly the changed rows once, and the deleted key as a tombstone', async () => {
    await extractOnce(config(), wh);
    await client.query(
      `UPDATE ${T} SET name = 'Ann Smith', updated_at = '2024-01-02 09:00:00+00' WHERE id = 1`,
    );
    await client.query(
      `INSERT INTO ${T} VALUES (4, 'Dee', NULL, 5, true, '2024-01-02 10:00:00+00')`,
    );
    await client.query(`DELETE FROM ${T} WHERE id = 2`);
    const s2 = await extractOnce(config(), wh);
    // Rows 2 and 3 sat on the old boundary (11:00) and row 3 is read again: it is skipped, not counted as read.
    expect(unitOf(s2, 'billing.customers')).toMatchObject({
      status: 'succeeded',
      rowsIn: 2,
      rowsOut: 2,
      rowsRejected: 0,
    });
    const second = await wh.all(
      `SELECT id, name, _deleted FROM raw.billing__customers WHERE _load_id = (SELECT load_id FROM meta.loads WHERE run_id = $1) ORDER BY id`,
      [s2.runId],
    );
    expect(second).toEqual([
      { id: '1', name: 'Ann Smith', _deleted: false },
      { id: '2', name: null, _deleted: true },
      { id: '4', name: 'Dee', _deleted: false },
    ]);
    const load = await wh.one(
      'SELECT rows_read, rows_landed, rows_skipped, rows_rejected, rows_tombstoned, cursor_from, cursor_to FROM meta.loads WHERE run_id = $1',
      [s2.runId],
    );
    expect(load).toEqual({
      rows_read: 3,
      rows_landed: 2,
      rows_skipped: 1,
      rows_rejected: 0,
      rows_tombstoned: 1,
      cursor_from: '2024-01-01 11:00:00+00',
      cursor_to: '2024-01-02 10:00:00+00',
    });

    const s3 = await extractOnce(config(), wh);
    expect(unitOf(s3, 'billing.customers')).toMatchObject({
      status: 'succeeded',
      rowsIn: 0,
      rowsOut: 0,
    });
    expect(await wh.scalar('SELECT count(*) FROM raw.billing__customers')).toBe(6);
  });
});
