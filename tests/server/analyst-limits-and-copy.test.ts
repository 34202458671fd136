import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import type pg from 'pg';
import { to as copyTo, from as copyFrom } from 'pg-copy-streams';
import { memoryLogger } from '../../foundation/logger.ts';
import { lockPath } from '../../jobs/lock.ts';
import { connectTo, ADMIN, ANALYST, psql, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

const logger = memoryLogger();
let s: Served;
beforeAll(async () => {
  s = await startServed({
    logger,
    port: testPort(20),
    seed: async (wh) => {
      await wh.run(`CREATE SCHEMA IF NOT EXISTS identity`);
      await wh.run(
        `CREATE OR REPLACE MACRO identity.resolve_id() AS (SELECT max(secret) FROM raw.x)`,
      );
      await wh.run(`CREATE OR REPLACE MACRO public.double_it(x) AS (x * 2)`);
      // Like the README's example: a table macro of public reading core (as views may).
      await wh.run(`CREATE SCHEMA IF NOT EXISTS core`);
      await wh.run(
        `CREATE TABLE core.history AS SELECT id, name, created_at FROM public.customers`,
      );
      await wh.run(
        `CREATE OR REPLACE MACRO public.customer_as_of(d) AS TABLE SELECT id, name FROM core.history WHERE created_at < CAST(CAST(d AS DATE) + 1 AS TIMESTAMPTZ)`,
      );
      await wh.run(`CREATE OR REPLACE MACRO identity.id_rows() AS TABLE SELECT * FROM raw.x`);
      await wh.run(
        `CREATE VIEW identity.secret_rule AS SELECT secret FROM raw.x WHERE secret <> 'hidden-literal'`,
      );
      await wh.run(`COMMENT ON VIEW identity.secret_rule IS 'hidden comment'`);
      await wh.run(`COMMENT ON COLUMN identity.secret_rule.secret IS 'hidden column comment'`);
      await wh.run(
        `INSERT INTO public.customers VALUES (3, 'Tab	Back\\slash', 'new
line@example.org', NULL, 1.25), (4, 'Quote "and", comma', '', NULL, 0)`,
      );
    },
  });
});
afterAll(async () => {
  await s?.close();
});

async function connect(who: { user: string; password: string }): Promise<pg.Client> {
  return connectTo(s, who);
}

async function copyOut(c: pg.Client, sql: string): Promise<string> {
  const stream = c.query(copyTo(sql));
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe('COPY … TO STDOUT', () => {
  it('streams a table to an admin in text format, escaped as PostgreSQL writes it, and nothing to the log', async () => {
    const c = await connect(ADMIN);
    try {
      const text = await copyOut(c, 'COPY public.customers (id, name, email) TO STDOUT');
      expect(text).toBe(
        [
          '1\tAnn\tann@example.org',
          '2\tBob\t\\N',
          '3\tTab\\tBack\\\\slash\tnew\\nline@example.org',
          '4\tQuote "and", comma\t',
          '',
        ].join('\n'),
      );
      expect(logger.lines.join('\n')).not.toMatch(/ann@example|Bob/);
      // The session goes on after the copy.
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });

  it('streams a query to an analyst as CSV with a header (a read)', async () => {
    const c = await connect(ANALYST);
    try {
      const csv = await copyOut(
        c,
        'COPY (SELECT id, name, email FROM customers WHERE id >= 2 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)',
      );
      expect(csv).toBe(
        [
          'id,name,email',
          '2,Bob,',
          '3,Tab\tBack\\slash,"new\nline@example.org"',
          '4,"Quote ""and"", comma",""',
          '',
        ].join('\n'),
      );
      // The old option syntax psql users type.
      expect(await copyOut(c, "COPY customers (id) TO STDOUT WITH CSV DELIMITER ';'")).toBe(
        '1\n2\n3\n4\n',
      );
    } finally {
      await c.end();
    }
  });

  it('keeps an analyst out of hidden schemas in COPY as in SELECT, and refuses COPY FROM STDIN', async () => {
    const c = await connect(ANALYST);
    try {
      await expect(copyOut(c, 'COPY raw.x TO STDOUT')).rejects.toMatchObject({ code: '42501' });
      await expect(copyOut(c, 'COPY (SELECT * FROM raw.x) TO STDOUT')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(c.query("COPY customers TO '/tmp/cdw-analyst-copy.csv'")).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await c.end();
    }
    const a = await connect(ADMIN);
    try {
      const stream = a.query(copyFrom('COPY public.customers FROM STDIN'));
      const err = await new Promise<unknown>((resolve) => {
        stream.on('error', resolve);
        stream.end('9\tZed\t\\N\t\\N\t1\n');
      });
      expect(err).toMatchObject({ code: '0A000' });
      expect((await a.query('SELECT count(*)::INTEGER AS n FROM public.customers')).rows).toEqual([
        { n: 4 },
      ]);
    } finally {
      await a.end();
    }
  });

  it('works from psql (\\copy … to stdout)', async () => {
    const out = await psql(
      s.port,
      ANALYST,
      '\\copy (SELECT id, name FROM customers ORDER BY id LIMIT 2) to stdout csv',
    );
    expect(out).toBe('1,Ann\n2,Bob\n');
  });
});

describe('an analyst', () => {
  it('cannot call macros of hidden schemas, only those of public/marts (the README example too)', async () => {
    const c = await connect(ANALYST);
    try {
      await expect(c.query('SELECT identity.resolve_id() AS v')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(
        c.query('SELECT * FROM customers WHERE name = identity.resolve_id()'),
      ).rejects.toMatchObject({
        code: '42501',
      });
      expect((await c.query('SELECT public.double_it(21) AS v, double_it(1) AS w')).rows).toEqual([
        { v: 42, w: 2 },
      ]);
      // The README's example, qualified and not.
      const asOf = "SELECT id, name FROM public.customer_as_of(DATE '2024-01-02')";
      expect((await c.query(asOf)).rows).toEqual([{ id: 1, name: 'Ann' }]);
      expect(
        (await c.query("SELECT count(*)::INTEGER AS n FROM customer_as_of(DATE '2024-01-01')"))
          .rows,
      ).toEqual([{ n: 0 }]);
      await expect(c.query('SELECT * FROM identity.id_rows()')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(c.query('SELECT * FROM id_rows()')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query("SELECT * FROM read_text('/etc/hostname')")).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await c.end();
    }
  });

  it('cannot call the emulated catalog functions to see hidden tables', async () => {
    const c = await connect(ANALYST);
    try {
      await expect(
        c.query(`SELECT relname FROM cdwpg.pg.pg_class(NULL, 'cdw', 'x', true)`),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`SELECT cdwpg.pg.cdw_visible(NULL, 'raw') AS v`)).rejects.toMatchObject({
        code: '42501',
      });
      // The catalog as PostgreSQL shows it has no raw tables.
      const rels = await c.query(
        `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'x'`,
      );
      expect(rels.rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('cannot read the definition or comments of a view of a hidden schema by its OID (pg_get_viewdef, obj_description)', async () => {
    const admin = await connect(ADMIN);
    const c = await connect(ANALYST);
    try {
      const oids = await admin.query<{ hidden: string; shown: string }>(
        `SELECT 'identity.secret_rule'::regclass::oid AS hidden, 'public.customer_names'::regclass::oid AS shown`,
      );
      const { hidden, shown } = oids.rows[0]!;
      expect(
        (await admin.query('SELECT pg_get_viewdef($1::oid) AS d', [hidden])).rows[0].d,
      ).toContain('hidden-literal');
      // As PostgreSQL answers for an OID that names no relation: NULL, whichever form is used.
      for (const sql of [
        `SELECT pg_get_viewdef(${hidden}) AS d`,
        `SELECT pg_catalog.pg_get_viewdef(${hidden}::oid, true) AS d`,
        'SELECT pg_get_viewdef($1::oid) AS d',
      ]) {
        const r = await c.query(sql, sql.includes('$1') ? [hidden] : []);
        expect(r.rows).toEqual([{ d: null }]);
      }
      // nor its comments (obj_description, col_description)
      const comments = `SELECT obj_description(${hidden}) AS a, obj_description(${hidden}, 'pg_class') AS b, col_description(${hidden}, 1) AS c`;
      expect((await admin.query(comments)).rows).toEqual([
        { a: 'hidden comment', b: 'hidden comment', c: 'hidden column comment' },
      ]);
      expect((await c.query(comments)).rows).toEqual([{ a: null, b: null, c: null }]);
      const pub = await c.query('SELECT pg_get_viewdef($1::oid, true) AS d', [shown]);
      expect(pub.rows[0].d).toMatch(/SELECT id, "?name"? FROM public\.customers;/);
    } finally {
      await c.end();
      await admin.end();
    }
  });

  it("reads only the session's settings through current_setting, whatever the argument", async () => {
    const c = await connect(ANALYST);
    try {
      const r = await c.query(
        `SELECT current_setting(lower('TEMP_DIRECTORY')) AS t, current_setting(lower('TimeZone')) AS tz, current_setting('search_path') AS sp`,
      );
      expect(r.rows).toEqual([{ t: null, tz: 'UTC', sp: '"$user", public' }]);
    } finally {
      await c.end();
    }
  });
});

describe('the lock file', () => {
  it('is readable by its owner only (it holds the control token)', () => {
    const mode = statSync(lockPath(s.config.warehouse.path)).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
  });
});
