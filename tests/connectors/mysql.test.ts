import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { MYSQL_URL, mysqlAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { configIn, extractOnce, rawRows, unitOf } from './helpers.ts';

const available = await mysqlAvailable();
const T = 'cdwtest_conn_my_orders';
let conn: mysql.Connection;
let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };

const config = () =>
  configIn(
    tmp.dir,
    `
sources:
  - name: erp
    kind: mysql
    connection: { url: "${MYSQL_URL}" }
    tables:
      - name: orders
        table: ${T}
        entity: transaction
        primary_key: id
        cursor: changed_at
        detect_deletes: true
        mapping: { record_key: id, amount: amount, updated_at: changed_at }
`,
  );

describe.skipIf(!available)('mysql connector', () => {
  beforeAll(async () => {
    conn = await mysql.createConnection({ uri: MYSQL_URL });
  });
  afterAll(async () => {
    await conn.query(`DROP TABLE IF EXISTS ${T}`);
    await conn.end();
  });
  beforeEach(async () => {
    wh = await memoryWarehouse();
    tmp = tempDir('cdw-my-');
    await conn.query(`DROP TABLE IF EXISTS ${T}`);
    await conn.query(
      `CREATE TABLE ${T} (id INT PRIMARY KEY, customer VARCHAR(50), note TEXT, amount DECIMAL(10,2), paid TINYINT(1), tag VARBINARY(4), changed_at DATETIME(3), seen TIMESTAMP NULL) CHARACTER SET utf8mb4`,
    );
    await conn.query(`INSERT INTO ${T} VALUES
      (1, 'Ann', 'plain', 10.50, 1, NULL, '2024-01-01 10:00:00', NULL),
      (2, 'Bo, "B"', 'two\\nlines', NULL, 0, X'00ff', '2024-01-01 11:00:00', NULL),
      (3, 'Пётр', '', 0, NULL, X'41', '2024-01-01 11:00:00', NULL)`);
    await conn.query(`SET time_zone = '+03:00'`);
    await conn.query(`UPDATE ${T} SET seen = '2024-01-01 13:00:00' WHERE id = 1`);
  });
  afterEach(() => {
    wh.close();
    tmp.cleanup();
  });

  it('lands rows as the server prints them, bytes as hex, NULL apart from empty text', async () => {
    const s = await extractOnce(config(), wh);
    expect(unitOf(s, 'erp.orders')).toMatchObject({
      status: 'succeeded',
      rowsIn: 3,
      rowsOut: 3,
      rowsRejected: 0,
    });
    expect(
      await rawRows(
        wh,
        'erp__orders',
        ['id', 'customer', 'note', 'amount', 'paid', 'tag', 'changed_at', 'seen'],
        'id::INT',
      ),
    ).toEqual([
      {
        id: '1',
        customer: 'Ann',
        note: 'plain',
        amount: '10.50',
        paid: '1',
        tag: null,
        changed_at: '2024-01-01 10:00:00.000',
        seen: '2024-01-01 10:00:00+00',
      },
      {
        id: '2',
        customer: 'Bo, "B"',
        note: 'two\nlines',
        amount: null,
        paid: '0',
        tag: '\\x00ff',
        changed_at: '2024-01-01 11:00:00.000',
        seen: null,
      },
      {
        id: '3',
        customer: 'Пётр',
        note: '',
        amount: '0.00',
        paid: null,
        tag: '\\x41',
        changed_at: '2024-01-01 11:00:00.000',
        seen: null,
      },
    ]);
  });

  it('a table of integers, decimals, dates, times, text and JSON is decoded by mysql2 itself, still exactly as the server prints it', async () => {
    const T2 = `${T}_plain`;
    await conn.query(`DROP TABLE IF EXISTS ${T2}`);
    await conn.query(
      `CREATE TABLE ${T2} (id BIGINT UNSIGNED PRIMARY KEY, small TINYINT, d DATE, t TIME(2), y YEAR, dt DATETIME(6), ts TIMESTAMP(3) NULL, amount DECIMAL(30,10), txt VARCHAR(50), doc JSON) CHARACTER SET utf8mb4`,
    );
    try {
      await conn.query(`INSERT INTO ${T2} VALUES
        (18446744073709551615, -128, '2024-02-29', '-838:59:59.00', 2024, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.250', 12345678901234567890.0123456789, 'a\x1fb "c"', '{"a": [1, 2.50]}'),
        (1, 0, NULL, '00:00:00.5', NULL, NULL, NULL, -0.0000000001, '', NULL)`);
      const cfg = configIn(
        tmp.dir,
        `sources:\n  - name: erp\n    kind: mysql\n    connection: { url: "${MYSQL_URL}" }\n    tables:\n      - { name: plain, table: ${T2}, entity: transaction, primary_key: id, mapping: { record_key: id } }\n`,
      );
      const s = await extractOnce(cfg, wh);
      expect(unitOf(s, 'erp.plain')).toMatchObject({
        status: 'succeeded',
        rowsIn: 2,
        rowsOut: 2,
        rowsRejected: 0,
      });
      // The table's session runs at +03:00 (beforeEach): the TIMESTAMP lands in UTC.
      const [[doc]] = (await conn.query(
        `SELECT CAST(doc AS CHAR) AS doc FROM ${T2} WHERE id = 18446744073709551615`,
      )) as unknown as [[{ doc: string }]];
      expect(
        await rawRows(
          wh,
          'erp__plain',
          ['id', 'small', 'd', 't', 'y', 'dt', 'ts', 'amount', 'txt', 'doc'],
          'length(id), id',
        ),
      ).toEqual([
        {
          id: '1',
          small: '0',
          d: null,
          t: '00:00:00.50',
          y: null,
          dt: null,
          ts: null,
          amount: '-0.0000000001',
          txt: '',
          doc: null,
        },
        {
          id: '18446744073709551615',
          small: '-128',
          d: '2024-02-29',
          t: '-838:59:59.00',
          y: '2024',
          dt: '2024-01-01 10:00:00.123456',
          ts: '2024-01-01 07:00:00.250+00',
          amount: '12345678901234567890.0123456789',
          txt: 'a\x1fb "c"',
          doc: doc.doc,
        },
      ]);
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${T2}`);
    }
  });

  it('after update, insert and delete lands exactly the changed rows once, and the deleted key as a tombstone', async () => {
    await extractOnce(config(), wh);
    await conn.query(
      `UPDATE ${T} SET amount = 11, changed_at = '2024-01-02 09:00:00' WHERE id = 1`,
    );
    await conn.query(
      `INSERT INTO ${T} VALUES (4, 'Dee', NULL, 5, 1, NULL, '2024-01-02 10:00:00', NULL)`,
    );
    await conn.query(`DELETE FROM ${T} WHERE id = 3`);
    const s2 = await extractOnce(config(), wh);
    expect(unitOf(s2, 'erp.orders')).toMatchObject({
      status: 'succeeded',
      rowsIn: 2,
      rowsOut: 2,
      rowsRejected: 0,
    });
    const second = await wh.all(
      `SELECT id, amount, _deleted FROM raw.erp__orders WHERE _load_id = (SELECT load_id FROM meta.loads WHERE run_id = $1) ORDER BY id`,
      [s2.runId],
    );
    expect(second).toEqual([
      { id: '1', amount: '11.00', _deleted: false },
      { id: '3', amount: null, _deleted: true },
      { id: '4', amount: '5.00', _deleted: false },
    ]);
    const s3 = await extractOnce(config(), wh);
    expect(unitOf(s3, 'erp.orders')).toMatchObject({ status: 'succeeded', rowsIn: 0, rowsOut: 0 });
    expect(await wh.scalar('SELECT count(*) FROM raw.erp__orders')).toBe(6);
  });
});
