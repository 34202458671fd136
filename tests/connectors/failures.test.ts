import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { PG_URL, MYSQL_URL, postgresAvailable, mysqlAvailable } from '../helpers/databases.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { configIn, extractOnce, unitOf } from './helpers.ts';
import { closedPort, faultProxy } from './fault-proxy.ts';

const pgUp = await postgresAvailable();
const myUp = await mysqlAvailable();
const T = 'cdwtest_conn_fail_accounts';
const pgTarget = (() => {
  const u = new URL(PG_URL);
  return { host: u.hostname, port: Number(u.port || 5432) };
})();
/** Database names of the test URLs: error messages name them (each session has its own). */
const PG_DB = new URL(PG_URL).pathname.slice(1);
const MYSQL_DB = new URL(MYSQL_URL).pathname.slice(1);
const viaPort = (url: string, port: number) => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};

let wh: Warehouse;
let tmp: { dir: string; cleanup: () => void };
beforeEach(async () => {
  wh = await memoryWarehouse();
  tmp = tempDir('cdw-fail-');
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const pgSource = (name: string, url: string) => `
  - name: ${name}
    kind: postgres
    connection: { url: "${url}", connect_timeout_ms: 3000 }
    tables:
      - { name: accounts, table: ${T}, entity: party, primary_key: id, cursor: id, mapping: { record_key: id } }`;

describe.skipIf(!pgUp)('source failures', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client(PG_URL);
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.query(
      `CREATE TABLE ${T} AS SELECT g AS id, repeat('x', 200) || g AS name FROM generate_series(1, 100000) g`,
    );
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${T}`);
    await client.end();
  });

  it('an unreachable server fails its own unit with where and what to check; state unchanged; the others land; run partial', async () => {
    const port = await closedPort();
    const config = configIn(
      tmp.dir,
      `extract: { retries: 1, retry_delay_ms: 10 }\nsources:${pgSource('billing', PG_URL)}${pgSource('ghost', viaPort(PG_URL, port))}\n`,
    );
    const s = await extractOnce(config, wh);
    expect(s.status).toBe('partial');
    expect(unitOf(s, 'billing.accounts')).toMatchObject({ status: 'succeeded', rowsOut: 100000 });
    const failed = unitOf(s, 'ghost.accounts');
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(
      `source ghost table accounts (postgres 127.0.0.1:${port}/${PG_DB}): cannot connect: connection refused; check that PostgreSQL is running there and connection.host/port in cdw.yaml`,
    );
    expect(await wh.all('SELECT source FROM meta.source_state ORDER BY source')).toEqual([
      { source: 'billing' },
    ]);
    expect(await wh.tableExists('raw', 'ghost__accounts')).toBe(false);
  });

  it('retries a connection reset with back-off and lands once', async () => {
    const proxy = await faultProxy(pgTarget, { dropFirst: 2 });
    try {
      const logger = memoryLogger();
      const config = configIn(
        tmp.dir,
        `extract: { retries: 3, retry_delay_ms: 10 }\nsources:${pgSource('billing', viaPort(PG_URL, proxy.port))}\n`,
      );
      const s = await extractOnce(config, wh, { logger });
      expect(unitOf(s, 'billing.accounts')).toMatchObject({
        status: 'succeeded',
        rowsIn: 100000,
        rowsOut: 100000,
      });
      expect(logger.lines.filter((l) => l.includes('retry'))).toHaveLength(2);
      expect(await wh.scalar('SELECT count(*) FROM raw.billing__accounts')).toBe(100000);
    } finally {
      await proxy.close();
    }
  });

  it('a connection cut midway through the read rolls back, is retried, and lands every row once', async () => {
    const proxy = await faultProxy(pgTarget, { cutAfterBytes: 12_000_000 });
    try {
      const logger = memoryLogger();
      const config = configIn(
        tmp.dir,
        `extract: { retries: 2, retry_delay_ms: 10, batch_rows: 1000 }\nsources:${pgSource('billing', viaPort(PG_URL, proxy.port))}\n`,
      );
      const s = await extractOnce(config, wh, { logger });
      // Batches had landed (uncommitted) before the cut; the retry starts over from the same state.
      const retryAt = logger.lines.findIndex((l) => l.includes('retry 1 of 2'));
      expect(retryAt).toBeGreaterThan(0);
      expect(
        logger.lines.slice(0, retryAt).filter((l) => /batch \d+ landed/.test(l)).length,
      ).toBeGreaterThan(0);
      expect(logger.lines.filter((l) => l.includes('retry'))).toHaveLength(1);
      expect(unitOf(s, 'billing.accounts')).toMatchObject({
        status: 'succeeded',
        rowsIn: 100000,
        rowsOut: 100000,
      });
      expect(
        await wh.one('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM raw.billing__accounts'),
      ).toEqual({ n: 100000, ids: 100000 });
    } finally {
      await proxy.close();
    }
  });

  it('a read that stalls (no data, no reset) fails after read_timeout_ms, is retried, and lands every row once; stalling on every try names the setting', async () => {
    const proxy = await faultProxy(pgTarget, { stallAfterBytes: 2_000_000 });
    try {
      const logger = memoryLogger();
      const url = viaPort(PG_URL, proxy.port);
      const source = pgSource('billing', url).replace(
        'connect_timeout_ms: 3000',
        'connect_timeout_ms: 3000, read_timeout_ms: 700',
      );
      const s = await extractOnce(
        configIn(tmp.dir, `extract: { retries: 1, retry_delay_ms: 10 }\nsources:${source}\n`),
        wh,
        { logger },
      );
      expect(logger.lines.filter((l) => l.includes('retry'))).toHaveLength(1);
      expect(logger.lines.find((l) => l.includes('retry 1 of 1'))).toContain(
        'no data from the server for 0.7 s (connection.read_timeout_ms)',
      );
      expect(unitOf(s, 'billing.accounts')).toMatchObject({
        status: 'succeeded',
        rowsIn: 100000,
        rowsOut: 100000,
      });
      expect(await wh.scalar('SELECT count(DISTINCT id) FROM raw.billing__accounts')).toBe(100000);
    } finally {
      await proxy.close();
    }
    const always = await faultProxy(pgTarget, { stallAfterBytes: 2_000_000, stallConnections: 99 });
    try {
      const source = pgSource('billing', viaPort(PG_URL, always.port)).replace(
        'connect_timeout_ms: 3000',
        'connect_timeout_ms: 3000, read_timeout_ms: 500',
      );
      const other = await memoryWarehouse();
      try {
        const s = await extractOnce(
          configIn(tmp.dir, `extract: { retries: 0 }\nsources:${source}\n`),
          other,
        );
        expect(unitOf(s, 'billing.accounts').error).toBe(
          `source billing table accounts (postgres 127.0.0.1:${always.port}/${PG_DB}): no data from the server for 0.5 s (connection.read_timeout_ms); check the network and the server, or raise read_timeout_ms for a query that computes long before its first row`,
        );
        expect(
          await other.scalar("SELECT count(*) FROM meta.source_state WHERE source = 'billing'"),
        ).toBe(0);
      } finally {
        other.close();
      }
    } finally {
      await always.close();
    }
  });

  it('gives up after the retries with the error and leaves state as it was', async () => {
    const proxy = await faultProxy(pgTarget, { dropFirst: 10 });
    try {
      const config = configIn(
        tmp.dir,
        `extract: { retries: 1, retry_delay_ms: 10 }\nsources:${pgSource('billing', viaPort(PG_URL, proxy.port))}\n`,
      );
      const s = await extractOnce(config, wh);
      const u = unitOf(s, 'billing.accounts');
      expect(u.status).toBe('failed');
      expect(u.error).toMatch(
        new RegExp(
          `^source billing table accounts \\(postgres 127\\.0\\.0\\.1:\\d+/${PG_DB}\\): connection lost or timed out`,
        ),
      );
      expect(proxy.connections).toBe(2);
      expect(await wh.scalar('SELECT count(*) FROM meta.source_state')).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('a missing table is not retried and says what to check', async () => {
    const config = configIn(
      tmp.dir,
      `extract: { retries: 3, retry_delay_ms: 10 }
sources:
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - { name: accounts, table: public.cdwtest_conn_no_such_table, entity: party, primary_key: id, mapping: { record_key: id } }
`,
    );
    const logger = memoryLogger();
    const s = await extractOnce(config, wh, { logger });
    expect(unitOf(s, 'billing.accounts').error).toBe(
      `source billing table accounts (postgres ${pgTarget.host}:${pgTarget.port}${new URL(PG_URL).pathname}): relation "public.cdwtest_conn_no_such_table" does not exist; check table: (schema.table) in cdw.yaml`,
    );
    expect(logger.lines.filter((l) => l.includes('retry'))).toEqual([]);
  });
});

describe.skipIf(!myUp)('mysql source failures', () => {
  const myTarget = (() => {
    const u = new URL(MYSQL_URL);
    return { host: u.hostname, port: Number(u.port || 3306) };
  })();
  const myConfig = (url: string) => `extract: { retries: 2, retry_delay_ms: 10, batch_rows: 1000 }
sources:
  - name: erp
    kind: mysql
    connection: { url: "${url}", connect_timeout_ms: 3000 }
    tables:
      - { name: accounts, table: ${T}, entity: party, primary_key: id, cursor: id, mapping: { record_key: id } }
`;
  let my: mysql.Connection;
  beforeAll(async () => {
    my = await mysql.createConnection({ uri: MYSQL_URL, multipleStatements: true });
    await my.query(
      `DROP TABLE IF EXISTS ${T}; CREATE TABLE ${T} (id INT PRIMARY KEY, name VARCHAR(300))`,
    );
    await my.query(
      `SET SESSION max_recursive_iterations = 200000; INSERT INTO ${T} WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000) SELECT n, CONCAT(REPEAT('x', 200), n) FROM g`,
    );
  });
  afterAll(async () => {
    await my.query(`DROP TABLE IF EXISTS ${T}`);
    await my.end();
  });

  it('rows streamed into many chunk files land once each; a connection cut midway rolls back and the retry lands every row once', async () => {
    const whole = await extractOnce(configIn(tmp.dir, myConfig(MYSQL_URL)), wh);
    expect(unitOf(whole, 'erp.accounts')).toMatchObject({
      status: 'succeeded',
      rowsIn: 50000,
      rowsOut: 50000,
    });
    expect(
      await wh.one(
        'SELECT count(*) AS n, count(DISTINCT id) AS ids, max(length(name)) AS w FROM raw.erp__accounts',
      ),
    ).toEqual({ n: 50000, ids: 50000, w: 205 });

    const cut = await memoryWarehouse();
    const proxy = await faultProxy(myTarget, { cutAfterBytes: 5_000_000 });
    try {
      const logger = memoryLogger();
      const s = await extractOnce(
        configIn(tmp.dir, myConfig(viaPort(MYSQL_URL, proxy.port))),
        cut,
        { logger },
      );
      const retryAt = logger.lines.findIndex((l) => l.includes('retry 1 of 2'));
      expect(retryAt).toBeGreaterThan(0);
      expect(
        logger.lines.slice(0, retryAt).filter((l) => /batch \d+ landed/.test(l)).length,
      ).toBeGreaterThan(0);
      expect(unitOf(s, 'erp.accounts')).toMatchObject({
        status: 'succeeded',
        rowsIn: 50000,
        rowsOut: 50000,
      });
      expect(
        await cut.one('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM raw.erp__accounts'),
      ).toEqual({ n: 50000, ids: 50000 });
    } finally {
      await proxy.close();
      cut.close();
    }
  });

  it('a MySQL read that stalls fails after read_timeout_ms and the retry lands every row once', async () => {
    const proxy = await faultProxy(myTarget, { stallAfterBytes: 2_000_000 });
    try {
      const logger = memoryLogger();
      const config = myConfig(viaPort(MYSQL_URL, proxy.port)).replace(
        'connect_timeout_ms: 3000',
        'connect_timeout_ms: 3000, read_timeout_ms: 700',
      );
      const s = await extractOnce(configIn(tmp.dir, config), wh, { logger });
      expect(logger.lines.find((l) => l.includes('retry 1 of 2'))).toContain(
        'no data from the server for 0.7 s (connection.read_timeout_ms)',
      );
      expect(unitOf(s, 'erp.accounts')).toMatchObject({
        status: 'succeeded',
        rowsIn: 50000,
        rowsOut: 50000,
      });
      expect(await wh.scalar('SELECT count(DISTINCT id) FROM raw.erp__accounts')).toBe(50000);
    } finally {
      await proxy.close();
    }
  });

  it('an unreachable MySQL server names host:port and what to check', async () => {
    const port = await closedPort();
    const config = configIn(
      tmp.dir,
      `extract: { retries: 0 }
sources:
  - name: erp
    kind: mysql
    connection: { url: "${viaPort(MYSQL_URL, port)}" }
    tables:
      - { name: orders, entity: transaction, primary_key: id, mapping: { record_key: id } }
`,
    );
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'erp.orders').error).toBe(
      `source erp table orders (mysql 127.0.0.1:${port}/${MYSQL_DB}): cannot connect: connection refused; check that MySQL/MariaDB is running there and connection.host/port in cdw.yaml`,
    );
  });
});
