import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { silentLogger, type Logger } from '../../foundation/logger.ts';
import type { PipelineStep } from '../../foundation/step.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { serve, type Serving } from '../../jobs/serve/serve.ts';
import { addUser } from '../../warehouse/server/users.ts';
import { setGrants } from '../../warehouse/privacy/grants.ts';
import { tempDir } from '../helpers/warehouse.ts';

export const run = promisify(execFile);

export const ANALYST = { user: 'cdwtest_ana', password: 'analyst-secret-1' };
export const ADMIN = { user: 'cdwtest_adm', password: 'admin-secret-1' };

/** A node-postgres client logged in to the served warehouse as `who` (the analyst by default). */
export async function connectTo(
  s: { readonly port: number },
  who: { user: string; password: string } = ANALYST,
): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: s.port, database: 'cdw', ...who });
  await c.connect();
  return c;
}

/** A temporary warehouse with a few customers, an analyst and an admin, served on a free port. */
export interface Served {
  readonly serving: Serving;
  readonly port: number;
  readonly config: CdwConfig;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startServed(
  opts: {
    seed?: (wh: Warehouse) => Promise<void>;
    steps?: readonly PipelineStep[];
    logger?: Logger;
    tls?: boolean;
    /** Refuse plaintext connections (with `tls`). */
    requireTls?: boolean;
    /** A port of the test's own range (default: a free one). */
    port?: number;
    /** more of cdw.yaml after the warehouse block (e.g. sources) */
    configText?: string;
  } = {},
): Promise<Served> {
  const { dir, cleanup } = tempDir('cdw-server-');
  const cfgFile = path.join(dir, 'cdw.yaml');
  writeFileSync(cfgFile, `warehouse:\n  path: wh.duckdb\n${opts.configText ?? ''}`);
  const config = loadConfig(cfgFile);
  const wh = await Warehouse.open(config.warehouse.path);
  try {
    await migrate(wh);
    await wh.run(
      `CREATE TABLE public.customers (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, email VARCHAR, created_at TIMESTAMPTZ, amount DECIMAL(10,2))`,
    );
    await wh.run(`COMMENT ON COLUMN public.customers.email IS 'primary email'`);
    await wh.run(
      `INSERT INTO public.customers VALUES (1, 'Ann', 'ann@example.org', '2024-01-02 03:04:05+00', 10.50), (2, 'Bob', NULL, NULL, 3.00)`,
    );
    await wh.run(
      `CREATE TABLE public.orders (id BIGINT PRIMARY KEY, customer_id INTEGER REFERENCES public.customers (id), total DOUBLE)`,
    );
    await wh.run(`INSERT INTO public.orders VALUES (10, 1, 99.5), (11, 1, 0.5)`);
    await wh.run(`CREATE VIEW public.customer_names AS SELECT id, name FROM public.customers`);
    await wh.run(`CREATE TABLE raw.x (secret VARCHAR); INSERT INTO raw.x VALUES ('raw-row')`);
    await addUser(wh.conn, ANALYST.user, 'analyst', ANALYST.password);
    // these tests are about the protocol and clients; masking of personal columns for analysts
    // without the grant is tests/privacy/masking.test.ts
    await setGrants(wh.conn, ANALYST.user, ['pii']);
    await addUser(wh.conn, ADMIN.user, 'admin', ADMIN.password);
    await opts.seed?.(wh);
    await wh.run('CHECKPOINT');
  } finally {
    wh.close();
  }
  let tls: { cert: string; key: string } | undefined;
  if (opts.tls) {
    tls = { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        tls.key,
        '-out',
        tls.cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { timeout: 60_000 },
    );
  }
  const serving = await serve(config, {
    host: '127.0.0.1',
    port: opts.port ?? 0,
    logger: opts.logger ?? silentLogger,
    steps: opts.steps,
    tls,
    requireTls: opts.requireTls,
  });
  return {
    serving,
    port: serving.server.port,
    config,
    dir,
    async close() {
      await serving.stop();
      cleanup();
    },
  };
}

/** Runs psql against the server; returns stdout (throws with stderr on failure). */
export async function psql(
  port: number,
  who: { user: string; password: string; sslmode?: string },
  ...commands: string[]
): Promise<string> {
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    who.user,
    '-d',
    'cdw',
    '-X',
    '-v',
    'ON_ERROR_STOP=1',
  ];
  for (const c of commands) args.push('-c', c);
  const env = {
    ...process.env,
    PGPASSWORD: who.password,
    PGCONNECT_TIMEOUT: '10',
    PGSSLMODE: who.sslmode ?? 'prefer',
  };
  const { stdout } = await run('psql', args, { env, timeout: 30_000 });
  return stdout;
}
