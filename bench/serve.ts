import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../jobs/config/load.ts';
import { silentLogger } from '../foundation/logger.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { migrate } from '../foundation/migrate.ts';
import { serve } from '../jobs/serve/serve.ts';
import { addUser } from '../warehouse/server/users.ts';
import { timed } from './measure.ts';

function percentile(sorted: number[], p: number): number {
  return Number(
    (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(3),
  );
}

async function latencies(
  n: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Record<string, number>> {
  const ms: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    await fn(i);
    ms.push(performance.now() - a);
  }
  const total = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  return {
    queries: n,
    queries_per_s: Math.round(n / total),
    p50_ms: percentile(ms, 50),
    p99_ms: percentile(ms, 99),
  };
}

/**
 * The PostgreSQL-protocol server against DuckDB in-process: a small lookup by key (one client,
 * sequential, parameterised) over the wire and in-process, and rows/s for a large result
 * (`rows`, default 1,000,000: id, name, amount, timestamp) streamed to node-pg.
 *
 * `npm run bench -- serve --lookups 5000 --rows 1000000`
 */
export async function run(opts: {
  lookups?: number;
  rows?: number;
  customers?: number;
}): Promise<Record<string, unknown>[]> {
  const lookups = Number(opts.lookups ?? 5000);
  const rows = Number(opts.rows ?? 1_000_000);
  const customers = Number(opts.customers ?? 100_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-serve-'));
  const out: Record<string, unknown>[] = [];
  try {
    writeFileSync(path.join(dir, 'cdw.yaml'), 'warehouse:\n  path: wh.duckdb\n');
    const config = loadConfig(path.join(dir, 'cdw.yaml'));
    const seed = await Warehouse.open(config.warehouse.path);
    await migrate(seed);
    await seed.run(
      `CREATE TABLE public.customers AS SELECT range::INTEGER AS id, 'customer ' || range AS name, (range % 1000) / 10.0 AS amount,
              TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS created_at FROM range($1)`,
      [customers],
    );
    await seed.run('ALTER TABLE public.customers ADD PRIMARY KEY (id)');
    await seed.run(
      `CREATE TABLE public.big AS SELECT range::BIGINT AS id, 'row ' || range AS name, (range % 1000) / 10.0 AS amount,
              TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range($1)`,
      [rows],
    );
    await addUser(seed.conn, 'bench', 'analyst', 'bench-password');
    seed.close();

    const s = await serve(config, { host: '127.0.0.1', port: 0, logger: silentLogger });
    try {
      const lookup = 'SELECT id, name, amount, created_at FROM customers WHERE id = $1';
      const inproc = await s.warehouse.connect();
      await inproc.run("SET search_path = 'public,main'");
      const prepared = await inproc.prepare(lookup);
      await latencies(200, (i) => (prepared.bind([i % customers]), prepared.runAndReadAll()));
      out.push({
        case: 'lookup in-process (prepared)',
        ...(await latencies(
          lookups,
          (i) => (prepared.bind([(i * 7919) % customers]), prepared.runAndReadAll()),
        )),
      });
      inproc.closeSync();

      const c = new pg.Client({
        host: '127.0.0.1',
        port: s.server.port,
        user: 'bench',
        password: 'bench-password',
        database: 'cdw',
      });
      await c.connect();
      await latencies(200, (i) => c.query(lookup, [i % customers]));
      out.push({
        case: 'lookup over the wire (node-pg, unnamed statement)',
        ...(await latencies(lookups, (i) => c.query(lookup, [(i * 7919) % customers]))),
      });
      out.push({
        case: 'lookup over the wire (node-pg, named statement)',
        ...(await latencies(lookups, (i) =>
          c.query({ name: 'lookup', text: lookup, values: [(i * 7919) % customers] }),
        )),
      });

      const wire = await timed(() => c.query('SELECT id, name, amount, ts FROM big'));
      out.push({
        case: `${rows} rows over the wire (node-pg, text)`,
        rows: wire.value.rowCount,
        seconds: wire.seconds,
        rows_per_s: Math.round(rows / wire.seconds),
      });
      await c.end();
      const local = await timed(async () => {
        const r = await s.warehouse.conn.stream('SELECT id, name, amount, ts FROM public.big');
        let n = 0;
        for (;;) {
          const chunk = await r.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          n += chunk.getRows().length;
        }
        return n;
      });
      out.push({
        case: `${rows} rows in-process (DuckDB chunks → JS values)`,
        rows: local.value,
        seconds: local.seconds,
        rows_per_s: Math.round(rows / local.seconds),
      });
    } finally {
      await s.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
