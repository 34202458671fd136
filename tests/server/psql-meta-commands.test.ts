import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ANALYST, psql, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({
    port: testPort(40),
    seed: async (wh) => {
      await wh.run(`CREATE OR REPLACE MACRO public.double_it(x) AS (x * 2)`);
      await wh.run(
        `CREATE OR REPLACE MACRO public.customers_from(first_id) AS TABLE SELECT id FROM public.customers WHERE id >= first_id`,
      );
      await wh.run(`CREATE SCHEMA IF NOT EXISTS identity`);
      await wh.run(`CREATE OR REPLACE MACRO identity.hidden_fn(x) AS (x)`);
      await wh.run(`CREATE TABLE public.customer_x (id INTEGER)`);
      await wh.run(`CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy')`);
      await wh.run(`CREATE SCHEMA IF NOT EXISTS marts`);
      await wh.run(`CREATE TYPE marts.tier AS ENUM ('gold', 'silver')`);
      await wh.run(`CREATE TYPE identity.hidden_kind AS ENUM ('x')`);
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('psql meta-commands', () => {
  it('\\d+ on a view shows its columns and its query', async () => {
    const out = await psql(s.port, ANALYST, '\\d+ customer_names');
    expect(out).toContain('View "public.customer_names"');
    expect(out).toMatch(/View definition:\n SELECT id, "?name"? FROM public\.customers;/);
  });

  it('\\sv prints the view as CREATE OR REPLACE VIEW', async () => {
    const out = await psql(s.port, ANALYST, '\\sv customer_names');
    expect(out).toBe(
      'CREATE OR REPLACE VIEW public.customer_names AS\n SELECT id, "name" FROM public.customers\n',
    );
  });

  it('\\df lists the macros of the schemas the user sees, not those of hidden ones', async () => {
    const out = await psql(s.port, ANALYST, '\\df');
    expect(out).toMatch(
      /public\s*\|\s*double_it\s*\|\s*anyelement\s*\|\s*x anyelement\s*\|\s*func/,
    );
    expect(out).toMatch(
      /public\s*\|\s*customers_from\s*\|\s*SETOF record\s*\|\s*first_id anyelement/,
    );
    expect(out).not.toContain('hidden_fn');
    const admin = await psql(s.port, ADMIN, '\\df');
    expect(admin).toContain('hidden_fn');
    // \df+ reads more columns (source, language).
    expect(await psql(s.port, ANALYST, '\\df+ double_it')).toContain('double_it');
  });

  it('\\dT lists enum types (DuckDB ENUMs) as PostgreSQL does, only of schemas the user sees', async () => {
    const out = await psql(s.port, ANALYST, '\\dT');
    expect(out).toContain('List of data types');
    // On the search path only, as PostgreSQL's \\dT without a pattern.
    expect(out).toMatch(/ public \| mood \|/);
    expect(out).not.toContain('tier');
    expect(out).not.toContain('hidden_kind');
    const plus = await psql(s.port, ANALYST, '\\dT+ mood');
    // one label a line, in their order, as psql prints a value with newlines
    expect(plus).toMatch(
      / public \| mood \| mood +\| 4 +\| sad +\+\|[^\n]*\n[^\n]*\| ok +\+\|[^\n]*\n[^\n]*\| happy +\|/,
    );
    expect(await psql(s.port, ANALYST, '\\dT marts.*')).toMatch(/ marts +\| marts\.tier \|/);
    expect(await psql(s.port, ANALYST, '\\dT identity.*')).not.toContain('hidden_kind');
    expect(await psql(s.port, ADMIN, '\\dT identity.*')).toContain('identity.hidden_kind');
    const labels = await psql(
      s.port,
      ANALYST,
      `SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS l, min(t.typtype) AS k FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = 'mood'`,
    );
    expect(labels).toMatch(/ sad,ok,happy \| e\n/);
  });

  it('\\dd answers (no rows of its kind here) instead of failing', async () => {
    expect(await psql(s.port, ANALYST, '\\dd')).toContain('Object descriptions');
  });

  it("LIKE escapes with a backslash as PostgreSQL's does (JDBC name patterns, tab completion)", async () => {
    const out = await psql(
      s.port,
      ANALYST,
      `SELECT 'a_b' LIKE 'a\\_b' AS x, 'axb' LIKE 'a\\_b' AS y, 'A_B' ILIKE 'a\\_b' AS z, 'a%' NOT LIKE 'a\\%' AS w`,
      `SELECT string_agg(relname, ',' ORDER BY relname) AS r FROM pg_catalog.pg_class WHERE relname LIKE 'customer\\_%'`,
    );
    expect(out).toMatch(/ t \| f \| t \| f/);
    expect(out).toMatch(/customer_names,customer_x\n/);
  });
});
