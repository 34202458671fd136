import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { generateDemo, type DemoResult } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { MYSQL_URL, PG_URL, mysqlAvailable, postgresAvailable } from '../helpers/databases.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { demoFiles, readTruth } from './read-demo.ts';

const hasPg = await postgresAvailable();
const hasMysql = await mysqlAvailable();
const suffix = `${process.pid}_${Date.now() % 100000}`;
const SCHEMA = `cdwtest_demo_${suffix}`;
const PREFIX = `cdwtest_demo_${suffix}_`;

describe.skipIf(!hasPg || !hasMysql)(
  'demo generator: billing in PostgreSQL, ERP in MariaDB',
  () => {
    const tmp = tempDir('cdw-demo-db-');
    let result: DemoResult;
    let pgc: pg.Client;
    let my: mysql.Connection;
    const afterNight: { accounts: number; maxUpdated: string; customers: number }[] = [];

    beforeAll(async () => {
      pgc = new pg.Client({ connectionString: PG_URL });
      await pgc.connect();
      my = await mysql.createConnection({ uri: MYSQL_URL, dateStrings: true });
      result = await generateDemo({
        dir: tmp.dir,
        customers: 300,
        nights: 2,
        seed: 5,
        pg: PG_URL,
        mysql: MYSQL_URL,
        pgSchema: SCHEMA,
        mysqlPrefix: PREFIX,
        logger: silentLogger,
        // What a nightly extract would see right after each night was written.
        onNight: async () => {
          const a = await pgc.query<{ n: string; m: string }>(
            `SELECT count(*) AS n, max(updated_at)::text AS m FROM "${SCHEMA}".accounts`,
          );
          const [rows] = await my.query(`SELECT count(*) AS n FROM \`${PREFIX}erp_customers\``);
          afterNight.push({
            accounts: Number(a.rows[0]!.n),
            maxUpdated: a.rows[0]!.m,
            customers: Number((rows as { n: number }[])[0]!.n),
          });
        },
      });
    });

    afterAll(async () => {
      await pgc?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      await pgc?.end();
      for (const t of ['erp_customers', 'erp_sales_orders'])
        await my?.query(`DROP TABLE IF EXISTS \`${PREFIX}${t}\``);
      await my?.end();
      tmp.cleanup();
    });

    it('creates the tables and loads every party record of truth into them', async () => {
      const truth = readTruth(tmp.dir);
      const accounts = await pgc.query<{ account_id: string }>(
        `SELECT account_id FROM "${SCHEMA}".accounts`,
      );
      expect(new Set(accounts.rows.map((r) => String(r.account_id)))).toEqual(
        new Set(truth.filter((t) => t.source === 'billing').map((t) => t.record_key)),
      );
      const [rows] = await my.query(`SELECT customer_no FROM \`${PREFIX}erp_customers\``);
      expect(new Set((rows as { customer_no: string }[]).map((r) => r.customer_no))).toEqual(
        new Set(truth.filter((t) => t.source === 'erp').map((t) => t.record_key)),
      );
      const inv = await pgc.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${SCHEMA}".invoices WHERE amount > 0 AND issued_at IS NOT NULL`,
      );
      expect(Number(inv.rows[0]!.n)).toBeGreaterThan(1000);
    });

    it('keeps typed columns: dates, timestamps, booleans, Cyrillic text', async () => {
      const r = await pgc.query(
        `SELECT pg_typeof(birth_date)::text AS b, pg_typeof(updated_at)::text AS u, pg_typeof(consent_email)::text AS c FROM "${SCHEMA}".accounts LIMIT 1`,
      );
      expect(r.rows[0]).toEqual({ b: 'date', u: 'timestamp without time zone', c: 'boolean' });
      const [rows] = await my.query(
        `SELECT count(*) AS n FROM \`${PREFIX}erp_customers\` WHERE last_name REGEXP '[А-Яа-я]'`,
      );
      expect(Number((rows as { n: number }[])[0]!.n)).toBeGreaterThan(10);
    });

    it('updates rows in place on a later night with a newer updated_at, and inserts new ones', async () => {
      expect(afterNight).toHaveLength(2);
      expect(afterNight[1]!.accounts).toBeGreaterThanOrEqual(afterNight[0]!.accounts);
      expect(afterNight[1]!.maxUpdated > afterNight[0]!.maxUpdated).toBe(true);
      const married = await pgc.query<{ last_name: string; updated_at: string }>(
        `SELECT last_name, updated_at::text FROM "${SCHEMA}".accounts WHERE first_name = 'Ekaterina' AND last_name = 'Orlova'`,
      );
      expect(married.rows).toHaveLength(1);
      expect(married.rows[0]!.updated_at.startsWith('2026-11-02')).toBe(true);
      const paid = await pgc.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${SCHEMA}".invoices WHERE status = 'paid' AND updated_at >= '2026-11-02'`,
      );
      expect(Number(paid.rows[0]!.n)).toBeGreaterThan(0);
    });

    it('writes no billing or ERP files, and a cdw.yaml that points at the databases', async () => {
      const files = demoFiles(tmp.dir);
      expect(files.filter((f) => f.startsWith('billing/') || f.startsWith('erp/'))).toEqual([]);
      const { readFileSync } = await import('node:fs');
      const yaml = readFileSync(result.configPath, 'utf8');
      expect(yaml).toContain('kind: postgres');
      expect(yaml).toContain(`table: ${SCHEMA}.accounts`);
      expect(yaml).toContain(`table: ${PREFIX}erp_customers`);
    });
  },
);
