import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ADMIN, ANALYST, psql, run, startServed, type Served } from './server-fixture.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed();
});
afterAll(async () => {
  await s?.close();
});

function client(who: { user: string; password: string }): pg.Client {
  return new pg.Client({
    host: '127.0.0.1',
    port: s.port,
    user: who.user,
    password: who.password,
    database: 'cdw',
  });
}

describe('psql', () => {
  it('lists tables with \\dt and views with \\dv', async () => {
    const out = await psql(s.port, ANALYST, '\\dt', '\\dv');
    expect(out).toMatch(/public\s*\|\s*customers\s*\|\s*table/);
    expect(out).toMatch(/public\s*\|\s*orders\s*\|\s*table/);
    expect(out).toMatch(/public\s*\|\s*customer_names\s*\|\s*view/);
    expect(out).not.toMatch(/\braw\b/);
  });

  it('describes a table with \\d public.customers', async () => {
    const out = await psql(s.port, ANALYST, '\\d public.customers');
    expect(out).toContain('Table "public.customers"');
    expect(out).toMatch(/id\s*\|\s*integer\s*\|\s*\|\s*not null/);
    expect(out).toMatch(/created_at\s*\|\s*timestamp with time zone/);
    expect(out).toMatch(/amount\s*\|\s*numeric\(10,2\)/);
    expect(out).toContain('PRIMARY KEY, btree (id)');
  });

  it('runs a join', async () => {
    const out = await psql(
      s.port,
      ANALYST,
      'SELECT c.name, sum(o.total) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name',
    );
    expect(out).toMatch(/Ann\s*\|\s*100/);
    expect(out).toContain('(1 row)');
  });

  it('refuses a wrong password', async () => {
    await expect(
      psql(s.port, { user: ANALYST.user, password: 'wrong-password' }, 'SELECT 1'),
    ).rejects.toThrow(/password authentication failed/);
  });
});

describe('node pg', () => {
  it('runs parameterised queries with typed results', async () => {
    const c = client(ANALYST);
    await c.connect();
    try {
      const r = await c.query(
        'SELECT name, $1::int + 1 AS n, amount, created_at FROM customers WHERE id = $2',
        [41, 1],
      );
      expect(r.rows).toEqual([
        { name: 'Ann', n: 42, amount: '10.50', created_at: new Date('2024-01-02T03:04:05Z') },
      ]);
      expect(r.fields.map((f) => f.dataTypeID)).toEqual([1043, 23, 1700, 1184]);
      const named = await c.query({
        name: 'by-id',
        text: 'SELECT name FROM customers WHERE id = $1',
        values: [2],
      });
      const again = await c.query({
        name: 'by-id',
        text: 'SELECT name FROM customers WHERE id = $1',
        values: [1],
      });
      expect([named.rows[0].name, again.rows[0].name]).toEqual(['Bob', 'Ann']);
      const nulls = await c.query('SELECT email FROM customers WHERE id = $1', [2]);
      expect(nulls.rows).toEqual([{ email: null }]);
      // Execute with a row limit: the portal is suspended and resumed until done.
      const limited = await c.query({
        text: 'SELECT id FROM customers ORDER BY id',
        rows: 1,
      } as pg.QueryConfig);
      expect(limited.rows).toEqual([{ id: 1 }, { id: 2 }]);
      // An error in the extended protocol is skipped until Sync; the session goes on.
      await expect(c.query('SELECT $1::int AS n', ['not a number'])).rejects.toMatchObject({
        code: '22P02',
      });
      expect((await c.query('SELECT $1::int AS n', ['7'])).rows).toEqual([{ n: 7 }]);
    } finally {
      await c.end();
    }
  });

  it('answers SET, SHOW, DISCARD ALL, BEGIN READ ONLY and PostgreSQL functions', async () => {
    const c = client(ANALYST);
    await c.connect();
    try {
      await c.query("SET application_name = 'cdw-test'");
      expect((await c.query('SHOW application_name')).rows).toEqual([
        { application_name: 'cdw-test' },
      ]);
      await c.query('BEGIN READ ONLY');
      const v = await c.query(
        "SELECT version() AS v, current_schema() AS s, 'public.customers'::regclass::oid > 0 AS oid_ok, pg_get_userbyid(10) AS owner",
      );
      await c.query('COMMIT');
      expect(v.rows[0].v).toMatch(/^PostgreSQL 15\.\d+/);
      expect(v.rows[0].s).toBe('public');
      expect(v.rows[0].oid_ok).toBe(true);
      await c.query('DISCARD ALL');
      const cnt = await c.query('SELECT count(*) FROM customers');
      expect(cnt.rows).toEqual([{ count: '2' }]);
    } finally {
      await c.end();
    }
  });

  it('reports errors with SQLSTATE and recovers', async () => {
    const c = client(ADMIN);
    await c.connect();
    try {
      await expect(c.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(c.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
      await c.query('BEGIN');
      await expect(c.query('SELECT 1/0::int + nope')).rejects.toBeTruthy();
      await expect(c.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await c.query('ROLLBACK');
      expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await c.end();
    }
  });

  it('cancels a running query', async () => {
    const c = client(ADMIN);
    await c.connect();
    try {
      const slow = c.query('SELECT count(*) FROM range(100000000000) a');
      await new Promise((r) => setTimeout(r, 300));
      const canceller = client(ADMIN) as pg.Client & { cancel(c: pg.Client, q: unknown): void };
      const pid = (c as unknown as { processID: number }).processID;
      const secret = (c as unknown as { secretKey: number }).secretKey;
      const { Connection } = pg as unknown as {
        Connection: new () => {
          connect(p: number, h: string): void;
          on(e: string, f: () => void): void;
          cancel(pid: number, key: number): void;
          end(): void;
        };
      };
      const conn = new Connection();
      conn.on('connect', () => conn.cancel(pid, secret));
      conn.connect(s.port, '127.0.0.1');
      void canceller;
      await expect(slow).rejects.toMatchObject({ code: '57014' });
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });
});

describe('roles', () => {
  it('an analyst cannot write, read raw, or reach files and DuckDB internals', async () => {
    const c = client(ANALYST);
    await c.connect();
    try {
      const denied = async (sql: string) => {
        const err = await c.query(sql).then(
          () => undefined,
          (e: { code: string }) => e,
        );
        return err?.code;
      };
      expect(await denied("INSERT INTO customers VALUES (3, 'Eve', NULL, NULL, 1)")).toBe('42501');
      expect(await denied('DELETE FROM customers')).toBe('42501');
      expect(await denied('CREATE TABLE public.t (a INT)')).toBe('42501');
      expect(await denied('SELECT * FROM raw.x')).toBe('42501');
      expect(await denied('SELECT * FROM "raw"."x"')).toBe('42501');
      expect(await denied('SELECT * FROM (SELECT * FROM raw.x) s')).toBe('42501');
      expect(await denied('WITH a AS (SELECT * FROM raw.x) SELECT * FROM a')).toBe('42501');
      expect(await denied("SELECT * FROM read_csv('/etc/hostname')")).toBe('42501');
      expect(await denied("SELECT * FROM '/etc/hostname.csv'")).toBe('42501');
      expect(await denied("SELECT * FROM query('SELECT * FROM raw.x')")).toBe('42501');
      expect(await denied('SELECT * FROM duckdb_tables()')).toBe('42501');
      expect(await denied('SELECT * FROM duckdb_tables')).toBe('42P01');
      expect(await denied("ATTACH '/tmp/x.duckdb' AS x")).toBe('42501');
      expect(await denied("COPY customers TO '/tmp/cdwtest-out.csv'")).toBe('42501');
      expect(await denied("SET search_path = 'raw'; SELECT * FROM x")).toBeDefined();
      const visible = await c.query(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'x'",
      );
      expect(visible.rows).toEqual([]);
      expect((await c.query('SELECT count(*)::int AS n FROM customer_names')).rows).toEqual([
        { n: 2 },
      ]);
    } finally {
      await c.end();
    }
  });

  it('an admin can read raw and write', async () => {
    const c = client(ADMIN);
    await c.connect();
    try {
      expect((await c.query('SELECT secret FROM raw.x')).rows).toEqual([{ secret: 'raw-row' }]);
      const ins = await c.query('CREATE TABLE public.admin_made (a INTEGER)');
      expect(ins.command).toBe('CREATE');
      const r = await c.query('INSERT INTO public.admin_made VALUES (1), (2)');
      expect([r.command, r.rowCount]).toEqual(['INSERT', 2]);
      await c.query('DROP TABLE public.admin_made');
    } finally {
      await c.end();
    }
  });
});

describe('Python clients', () => {
  it('psycopg2 queries and SQLAlchemy reflects tables and columns', async () => {
    const script = `
import json, psycopg2, sqlalchemy as sa
c = psycopg2.connect(host='127.0.0.1', port=${s.port}, user='${ANALYST.user}', password='${ANALYST.password}', dbname='cdw')
cur = c.cursor(); cur.execute('SELECT name, amount FROM customers WHERE id = %s', (1,)); row = cur.fetchone(); c.close()
e = sa.create_engine('postgresql+psycopg2://${ANALYST.user}:${ANALYST.password}@127.0.0.1:${s.port}/cdw')
i = sa.inspect(e)
cols = i.get_columns('customers', schema='public')
print(json.dumps({
  'row': [row[0], str(row[1])],
  'tables': i.get_table_names(schema='public'),
  'views': i.get_view_names(schema='public'),
  'columns': [[x['name'], str(x['type']), x['nullable'], x['comment']] for x in cols],
  'pk': i.get_pk_constraint('customers', schema='public')['constrained_columns'],
  'fks': [[f['constrained_columns'], f['referred_table'], f['referred_columns']] for f in i.get_foreign_keys('orders', schema='public')],
}))`;
    const { stdout } = await run('/usr/bin/python3', ['-c', script], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.row).toEqual(['Ann', '10.50']);
    expect(out.tables).toEqual(['customers', 'orders']);
    expect(out.views).toContain('customer_names');
    expect(out.columns).toEqual([
      ['id', 'INTEGER', false, null],
      ['name', 'VARCHAR', false, null],
      ['email', 'VARCHAR', true, 'primary email'],
      ['created_at', 'TIMESTAMP', true, null],
      ['amount', 'NUMERIC(10, 2)', true, null],
    ]);
    expect(out.pk).toEqual(['id']);
    expect(out.fks).toEqual([[['customer_id'], 'customers', ['id']]]);
  });
});

describe('JDBC', () => {
  it('lists tables and columns through DatabaseMetaData and runs a prepared statement', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'cdw-jdbc-'));
    try {
      await run(
        'javac',
        ['-d', out, path.join(import.meta.dirname, 'fixtures', 'MetaProbe.java')],
        { timeout: 60_000 },
      );
      const { stdout } = await run(
        'java',
        [
          '-cp',
          `${out}:/usr/share/java/postgresql.jar`,
          'MetaProbe',
          `jdbc:postgresql://127.0.0.1:${s.port}/cdw`,
          ANALYST.user,
          ANALYST.password,
          'public',
          'customers',
          '1',
        ],
        { timeout: 60_000 },
      );
      const lines = stdout.trim().split('\n');
      expect(lines).toContain('table\tpublic\tcustomers\tTABLE');
      expect(lines).toContain('table\tpublic\tcustomer_names\tVIEW');
      expect(lines.some((l) => l.startsWith('table\traw'))).toBe(false);
      expect(lines).toContain('column\tid\tint4\t4\tNO\tnull');
      expect(lines).toContain('column\temail\tvarchar\t12\tYES\tprimary email');
      expect(lines).toContain('column\tamount\tnumeric\t2\tYES\tnull');
      expect(lines).toContain('pk\tid');
      expect(lines).toContain('row\t1\tAnn');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('ODBC', () => {
  it('psqlODBC lists tables and columns and runs a query (unixODBC isql)', async () => {
    const ini = path.join(s.dir, 'odbc.ini');
    writeFileSync(
      ini,
      `[cdw]\nDriver = /usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so\nServername = 127.0.0.1\nPort = ${s.port}\nDatabase = cdw\nUsername = ${ANALYST.user}\nPassword = ${ANALYST.password}\n`,
    );
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('isql', ['-v', '-b', '-d|', 'cdw'], {
        env: { ...process.env, ODBCINI: ini },
      });
      let text = '';
      p.stdout.on('data', (c: Buffer) => (text += c.toString()));
      p.stderr.on('data', (c: Buffer) => (text += c.toString()));
      p.on('error', reject);
      p.on('close', () => resolve(text));
      p.stdin.end('SELECT name FROM customers WHERE id = 1\nhelp\nhelp customers\n');
    });
    expect(out).toMatch(/^Ann$/m);
    expect(out).toMatch(/cdw\|public\|customers\|TABLE/);
    expect(out).not.toMatch(/\|raw\|/);
    expect(out).toMatch(/cdw\|public\|customers\|email\|12\|varchar/);
  });
});
