import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import { serve, type Serving } from '../../jobs/serve/serve.ts';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { addUser } from '../../warehouse/server/users.ts';
import { setGrants } from '../../warehouse/privacy/grants.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

const run = promisify(execFile);
const CDW = path.resolve('bin/cdw.js');
const ANALYST = { user: 'privacy_ana', password: 'analyst-secret-1' };
const GRANTED = { user: 'privacy_pii', password: 'granted-secret-1' };
const ADMIN = { user: 'privacy_adm', password: 'admin-secret-1' };

const QUERY = `SELECT customer_id, full_name, email, phone, birth_date, city FROM public.customers ORDER BY customer_id`;
const MASKED = [
  ['1', 'A*** P***', 'a***@example.com', '+7 *** *** 06 32', null, 'Moskva'],
  ['2', 'B*** S***', 'b***@example.org', '+1 (***) ***-0199', null, 'Boston'],
];
const FULL = [
  ['1', 'Anna Petrova', 'anna.petrova@example.com', '+7 916 123 06 32', '1980-04-01', 'Moskva'],
  ['2', 'Bob Smith', 'bob@example.org', '+1 (555) 010-0199', '1975-12-31', 'Boston'],
];

/** cdw as its own process (the server runs in this one: never block it with spawnSync). */
function cdwChild(
  args: string[],
  input = '',
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CDW, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

async function psqlRows(port: number, who: { user: string; password: string }, sql: string) {
  const { stdout } = await run(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      who.user,
      '-d',
      'cdw',
      '-X',
      '-A',
      '-t',
      '-F',
      '\t',
      '-P',
      'null=<null>',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ],
    { env: { ...process.env, PGPASSWORD: who.password, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 },
  );
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t').map((v) => (v === '<null>' ? null : v)));
}

describe('personal columns masked for analysts without the pii grant', () => {
  const tmp = tempDir('cdw-masking-');
  const jdbcOut = mkdtempSync(path.join(os.tmpdir(), 'cdw-privacy-jdbc-'));
  const cfgFile = path.join(tmp.dir, 'cdw.yaml');
  let serving: Serving;
  let port = 0;
  beforeAll(async () => {
    writeFileSync(cfgFile, 'warehouse:\n  path: wh.duckdb\n');
    const config = loadConfig(cfgFile);
    const wh = await Warehouse.open(config.warehouse.path);
    try {
      await migrate(wh);
      await wh.run(
        `CREATE TABLE core.people (customer_id BIGINT, full_name VARCHAR, email VARCHAR, phone VARCHAR, birth_date DATE, city VARCHAR, phones VARCHAR[])`,
      );
      await wh.run(`INSERT INTO core.people VALUES
        (1, 'Anna Petrova', 'anna.petrova@example.com', '+7 916 123 06 32', DATE '1980-04-01', 'Moskva', ['+7 916 123 06 32']),
        (2, 'Bob Smith', 'bob@example.org', '+1 (555) 010-0199', DATE '1975-12-31', 'Boston', [])`);
      await wh.run(`CREATE VIEW public.customers AS SELECT * FROM core.people`);
      await wh.run(
        `CREATE MACRO public.people_named(n) AS TABLE SELECT email FROM core.people WHERE full_name = n`,
      );
      await wh.run(`CREATE SCHEMA IF NOT EXISTS marts`);
      await wh.run(
        `CREATE TABLE marts.customer_360 (customer_id BIGINT, email VARCHAR, revenue DOUBLE)`,
      );
      await wh.run(
        `INSERT INTO marts.customer_360 VALUES (1, 'anna.petrova@example.com', 100.5), (2, NULL, 20)`,
      );
      await addUser(wh.conn, ANALYST.user, 'analyst', ANALYST.password);
      await addUser(wh.conn, ADMIN.user, 'admin', ADMIN.password);
      await wh.run('CHECKPOINT');
    } finally {
      wh.close();
    }
    port = 18000 + (process.pid % 900);
    serving = await serve(config, { host: '127.0.0.1', port, logger: silentLogger });
    await run(
      'javac',
      ['-d', jdbcOut, path.join(import.meta.dirname, 'fixtures', 'MaskProbe.java')],
      {
        timeout: 120_000,
      },
    );
  }, 180_000);
  afterAll(async () => {
    await serving?.stop();
    rmSync(jdbcOut, { recursive: true, force: true });
    tmp.cleanup();
  });

  it('grants pii with cdw user add --grant pii, through the running server', async () => {
    const add = await cdwChild(
      [
        '-c',
        cfgFile,
        'user',
        'add',
        GRANTED.user,
        '--role',
        'analyst',
        '--grant',
        'pii',
        '--password-stdin',
      ],
      `${GRANTED.password}\n`,
    );
    expect(add.err).toBe('');
    expect(add.out).toContain(`user ${GRANTED.user} (analyst, grants: pii) saved`);
    const list = await cdwChild(['-c', cfgFile, 'user', 'list']);
    expect(list.out).toMatch(new RegExp(`${GRANTED.user}\\s+analyst\\s+pii`));
    expect(list.out).toMatch(new RegExp(`${ANALYST.user}\\s+analyst\\s+scram`));
  }, 240_000);

  it('psql: an analyst sees masked values, a granted analyst and an admin see them in full', async () => {
    expect(await psqlRows(port, ANALYST, QUERY)).toEqual(MASKED);
    expect(await psqlRows(port, GRANTED, QUERY)).toEqual(FULL);
    expect(await psqlRows(port, ADMIN, QUERY)).toEqual(FULL);
    // unqualified names (search path), lists, marts
    expect(
      await psqlRows(port, ANALYST, 'SELECT phones FROM customers WHERE customer_id = 1'),
    ).toEqual([['{"+7 *** *** 06 32"}']]);
    expect(
      await psqlRows(port, ANALYST, 'SELECT email FROM marts.customer_360 ORDER BY customer_id'),
    ).toEqual([['a***@example.com'], [null]]);
    // a filter on a personal value finds nothing: the analyst cannot probe for a value
    expect(
      await psqlRows(
        port,
        ANALYST,
        "SELECT count(*) FROM customers WHERE email = 'bob@example.org'",
      ),
    ).toEqual([['0']]);
  });

  it('psql: a table macro, which reads beneath the masked views, is for analysts with pii only', async () => {
    const q = "SELECT email FROM public.people_named('Anna Petrova')";
    await expect(psqlRows(port, ANALYST, q)).rejects.toThrow(/permission denied/);
    await expect(
      psqlRows(port, ANALYST, "SELECT email FROM people_named('Anna Petrova')"),
    ).rejects.toThrow(/permission denied|does not exist/);
    expect(await psqlRows(port, GRANTED, q)).toEqual([['anna.petrova@example.com']]);
  });

  it('psql: aggregates and joins on customer ids give the same answers masked', async () => {
    const sql = `SELECT count(*), count(c.email), sum(m.revenue), count(DISTINCT c.customer_id)
                 FROM public.customers c JOIN marts.customer_360 m USING (customer_id)`;
    const full = await psqlRows(port, ADMIN, sql);
    expect(full).toEqual([['2', '2', '120.5', '2']]);
    expect(await psqlRows(port, ANALYST, sql)).toEqual(full);
  });

  it('JDBC: an analyst sees masked values, a granted analyst and an admin see them in full', async () => {
    const probe = async (who: { user: string; password: string }) => {
      const { stdout } = await run(
        'java',
        [
          '-cp',
          `${jdbcOut}:/usr/share/java/postgresql.jar`,
          'MaskProbe',
          `jdbc:postgresql://127.0.0.1:${port}/cdw`,
          who.user,
          who.password,
          QUERY,
        ],
        { timeout: 120_000 },
      );
      return stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t').map((v) => (v === 'null' ? null : v)));
    };
    expect(await probe(ANALYST)).toEqual(MASKED);
    expect(await probe(GRANTED)).toEqual(FULL);
    expect(await probe(ADMIN)).toEqual(FULL);
  }, 240_000);

  it('node-postgres: a prepared statement with a parameter reads masked values', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: ANALYST.user,
      password: ANALYST.password,
      database: 'cdw',
    });
    await client.connect();
    try {
      const r = await client.query(
        'SELECT email, phone FROM public.customers WHERE customer_id = $1',
        [2],
      );
      expect(r.rows).toEqual([{ email: 'b***@example.org', phone: '+1 (***) ***-0199' }]);
    } finally {
      await client.end();
    }
  });
});

describe('cdw sql --as USER', () => {
  const tmp = tempDir('cdw-masking-sql-');
  afterAll(() => tmp.cleanup());

  it('shows the warehouse as that server user sees it: masked for an analyst, in full with pii', async () => {
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(cfg, 'warehouse:\n  path: wh.duckdb\n');
    const wh = await Warehouse.open(path.join(tmp.dir, 'wh.duckdb'));
    try {
      await migrate(wh);
      await wh.run(
        `CREATE TABLE public.customers (customer_id BIGINT, email VARCHAR, last_name VARCHAR)`,
      );
      await wh.run(`INSERT INTO public.customers VALUES (7, 'zoe@example.net', 'Zhukova')`);
      await addUser(wh.conn, 'sql_ana', 'analyst', 'analyst-secret-2');
      await addUser(wh.conn, 'sql_pii', 'analyst', 'analyst-secret-3');
      await setGrants(wh.conn, 'sql_pii', ['pii']);
      const { refreshMaskedViews } = await import('../../warehouse/privacy/masked-views.ts');
      await refreshMaskedViews(wh);
      await wh.run('CHECKPOINT');
    } finally {
      wh.close();
    }
    const sql = async (...args: string[]) => {
      const io = captureIO();
      const code = await main(['node', 'cdw', '-c', cfg, 'sql', '--format', 'csv', ...args], io);
      return { code, out: io.outText(), err: io.errText() };
    };
    const q = 'SELECT customer_id, email, last_name FROM customers';
    expect((await sql('--as', 'sql_ana', '-c', q)).out).toBe(
      'customer_id,email,last_name\n7,z***@example.net,Z***\n',
    );
    expect((await sql('--as', 'sql_pii', '-c', q)).out).toBe(
      'customer_id,email,last_name\n7,zoe@example.net,Zhukova\n',
    );
    const denied = await sql('--as', 'sql_ana', '-c', 'SELECT * FROM meta.users');
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('permission denied for sql_ana (analyst): relation meta.users');
  });
});
