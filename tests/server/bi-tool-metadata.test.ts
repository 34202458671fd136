import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { ANALYST, run, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

// The metadata queries BI tools send, as their public source writes them (see fixtures/bi-queries).
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'bi-queries');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

let s: Served;
let c: pg.Client;
beforeAll(async () => {
  s = await startServed({
    port: testPort(60),
    seed: async (wh) => {
      await wh.run(`CREATE OR REPLACE MACRO public.double_it(x) AS (x * 2)`);
      await wh.run(
        `CREATE OR REPLACE MACRO public.customers_from(first_id) AS TABLE SELECT id FROM public.customers WHERE id >= first_id`,
      );
    },
  });
  c = new pg.Client({
    host: '127.0.0.1',
    port: s.port,
    user: ANALYST.user,
    password: ANALYST.password,
    database: 'cdw',
  });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await s?.close();
});

describe('BI tools list tables and fields as an analyst', () => {
  it("DBeaver's table list (pg_get_partkeydef, c.*)", async () => {
    const ns = await c.query<{ oid: string }>(
      `SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public'`,
    );
    const r = await c.query<{ relname: string; partition_key: string | null }>(
      fixture('dbeaver-tables.sql'),
      [ns.rows[0]!.oid],
    );
    const names = r.rows.map((x) => x.relname);
    expect(names).toEqual(expect.arrayContaining(['customers', 'orders', 'customer_names']));
    expect(names).not.toContain('x');
    expect(r.rows.every((x) => x.partition_key === null)).toBe(true);
  });

  it("Metabase's table sync and field sync (format('%I.%I', …)::regclass)", async () => {
    const tables = await c.query<{ name: string; type: string }>(fixture('metabase-tables.sql'));
    expect(tables.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'customers', type: 'TABLE' }),
        expect.objectContaining({ name: 'customer_names', type: 'VIEW' }),
      ]),
    );
    const fields = await c.query<Record<string, unknown>>(fixture('metabase-describe-fields.sql'));
    const customers = fields.rows.filter((f) => f['table-name'] === 'customers');
    expect(customers.map((f) => [f.name, f['database-type'], f['pk?']])).toEqual([
      ['id', 'int4', true],
      ['name', 'varchar', false],
      ['email', 'varchar', false],
      ['created_at', 'timestamptz', false],
      ['amount', 'numeric', false],
    ]);
    expect(customers.find((f) => f.name === 'email')?.['field-comment']).toBe('primary email');
  });

  it("Grafana's table picker (string_to_array in FROM)", async () => {
    const r = await c.query<{ table: string }>(fixture('grafana-table-picker.sql'));
    expect(r.rows.map((x) => x.table).sort()).toEqual(['customers', 'orders']);
  });

  it("format() as PostgreSQL's: %s, %I, %L, %%", async () => {
    const r = await c.query(
      `SELECT format('%I.%I', 'public', 'Customers') AS a, format('%s-%L-%%-%s', 'x%s', 'it''s', 'y') AS b`,
    );
    expect(r.rows).toEqual([{ a: 'public."Customers"', b: "x%s-'it''s'-%-y" }]);
  });
});

describe('pgjdbc DatabaseMetaData', () => {
  it('getImportedKeys/getExportedKeys (pg_settings.max_index_keys), getFunctions, name patterns with _', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'cdw-jdbc-keys-'));
    try {
      await run(
        'javac',
        ['-d', out, path.join(import.meta.dirname, 'fixtures', 'KeysProbe.java')],
        {
          timeout: 60_000,
        },
      );
      const { stdout } = await run(
        'java',
        [
          '-cp',
          `${out}:/usr/share/java/postgresql.jar`,
          'KeysProbe',
          `jdbc:postgresql://127.0.0.1:${s.port}/cdw`,
          ANALYST.user,
          ANALYST.password,
        ],
        { timeout: 60_000 },
      );
      const lines = stdout.trim().split('\n');
      expect(lines).toContain('imported\tcustomers\tid\torders\tcustomer_id\t1');
      expect(lines).toContain('exported\tcustomers\tid\torders\tcustomer_id');
      // functionNoTable = 1, functionReturnsTable = 2
      expect(lines).toContain('function\tpublic\tdouble_it\t1');
      expect(lines).toContain('function\tpublic\tcustomers_from\t2');
      const pattern = lines.filter((l) => l.startsWith('pattern\t')).map((l) => l.split('\t')[1]);
      expect(pattern).toContain('customer_names');
      expect(pattern).not.toContain('customers');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
