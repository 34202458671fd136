import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    await fn(i);
    ms.push(performance.now() - a);
  }
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  ms.sort((a, b) => a - b);
  return {
    queries: n,
    wall_s: Number(total.toFixed(3)),
    // Client and server share this process: CPU of both, per the whole run of the case.
    cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    queries_per_s: Math.round(n / total),
    p50_ms: percentile(ms, 50),
    p99_ms: percentile(ms, 99),
  };
}

/**
 * node-pg reading one query's rows in a worker thread, as a client in its own process would:
 * its parsing (a Date per timestamp, an object per row) runs beside the server, not in turns
 * with it on one event loop. Resolves with the row count and the seconds from query to result.
 */
function queryInWorker(
  conn: pg.ClientConfig,
  sql: string,
  mode: 'stream' | 'raw' | 'parsed',
): Promise<{ rows: number; seconds: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const pg = require(workerData.pgPath);
    (async () => {
      const c = new pg.Client(workerData.conn);
      await c.connect();
      const t0 = performance.now();
      // raw: rows as arrays of the texts on the wire (node-pg's protocol layer, no Date per
      // timestamp), all kept in the result; stream: the same rows each handed to a 'row'
      // listener and not kept (node-pg does not gather rows a listener takes), as the
      // in-process case drops each chunk's values; parsed: node-pg's defaults.
      const text = { text: workerData.sql, rowMode: 'array', types: { getTypeParser: () => (v) => v } };
      let rows;
      if (workerData.mode === 'stream') {
        const q = new pg.Query(text);
        rows = 0;
        q.on('row', () => rows++);
        await new Promise((resolve, reject) => {
          q.on('end', resolve);
          q.on('error', reject);
          c.query(q);
        });
      } else {
        rows = (await c.query(workerData.mode === 'raw' ? text : workerData.sql)).rowCount;
      }
      const seconds = (performance.now() - t0) / 1000;
      await c.end();
      parentPort.postMessage({ rows, seconds });
    })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
  const pgPath = createRequire(import.meta.url).resolve('pg');
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { pgPath, conn, sql, mode } });
    w.once('message', (m: { rows: number; seconds: number; error?: string }) => {
      void w.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    w.once('error', reject);
  });
}

/**
 * The PostgreSQL-protocol server against DuckDB in-process: a small lookup by key (one client,
 * sequential, parameterised) over the wire and in-process, and rows/s for a large result
 * (`rows`, default 1,000,000: id, name, amount, timestamp) streamed to node-pg.
 *
 * `npm run bench -- serve --lookups 5000 --rows 1000000 --port 16100`
 */
export async function run(opts: {
  lookups?: number;
  rows?: number;
  customers?: number;
  port?: number;
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

    // A port of the caller's own range (`--port`; default 16100), not a shared one.
    const port = Number(opts.port ?? 16100);
    const s = await serve(config, { host: '127.0.0.1', port, logger: silentLogger });
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
      // The floor: one round trip that does nothing.
      out.push({
        case: 'floor: SELECT 1 over the wire (simple protocol)',
        ...(await latencies(lookups, () => c.query('SELECT 1'))),
      });
      out.push({
        case: 'lookup over the wire (simple protocol, literal key)',
        ...(await latencies(lookups, (i) =>
          c.query(
            `SELECT id, name, amount, created_at FROM customers WHERE id = ${(i * 7919) % customers}`,
          ),
        )),
      });
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

      await c.end();
      const bench = {
        host: '127.0.0.1',
        port: s.server.port,
        user: 'bench',
        password: 'bench-password',
        database: 'cdw',
      };
      for (const [mode, label] of [
        [
          'stream',
          'node-pg in a worker thread, rows as arrays of text, each passed on and not kept',
        ],
        ['raw', 'node-pg in a worker thread, rows as arrays of text'],
        ['parsed', 'node-pg in a worker thread, default parsing: a Date per timestamp'],
      ] as const) {
        const wireCpu = process.cpuUsage();
        const wire = await queryInWorker(bench, 'SELECT id, name, amount, ts FROM big', mode);
        const wireCpuS = process.cpuUsage(wireCpu);
        out.push({
          case: `${rows} rows over the wire (${label})`,
          rows: wire.rows,
          seconds: Number(wire.seconds.toFixed(3)),
          // server and client together (the worker is a thread of this process), with the
          // worker's start and login
          cpu_s: Number(((wireCpuS.user + wireCpuS.system) / 1e6).toFixed(3)),
          rows_per_s: Math.round(rows / wire.seconds),
        });
      }
      const localCpu = process.cpuUsage();
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
        cpu_s: Number(
          ((process.cpuUsage(localCpu).user + process.cpuUsage(localCpu).system) / 1e6).toFixed(3),
        ),
        rows_per_s: Math.round(rows / local.seconds),
      });
      // The targets, as ratios of rates measured in this run.
      const rate = (k: string) =>
        Number(out.find((o) => String(o.case).startsWith(k))?.queries_per_s ?? 0);
      const cpu = (k: string) => Number(out.find((o) => String(o.case).includes(k))?.cpu_s ?? 0);
      const rowsRate = (k: string) =>
        Number(out.find((o) => String(o.case).includes(k))?.rows_per_s ?? 0);
      out.push({
        case: 'ratios (targets: ≥ 0.8, ≥ 0.5, ≥ 0.7)',
        parameterised_vs_simple: Number(
          (
            rate('lookup over the wire (node-pg, unnamed') / rate('lookup over the wire (simple')
          ).toFixed(2),
        ),
        parameterised_vs_in_process: Number(
          (rate('lookup over the wire (node-pg, unnamed') / rate('lookup in-process')).toFixed(2),
        ),
        // Both sides take every row as JS values and drop them (the in-process case drops each
        // chunk's): the like-for-like pair. Kept: node-pg also holds all 1M rows (its GC).
        rows_wire_vs_in_process: Number(
          (rowsRate('not kept') / rowsRate('in-process (DuckDB')).toFixed(2),
        ),
        rows_wire_kept_vs_in_process: Number(
          (rowsRate('rows as arrays of text)') / rowsRate('in-process (DuckDB')).toFixed(2),
        ),
        // The same ratios by CPU seconds (work per query or per row, all threads of the process:
        // the wire cases include the client's): steadier than rates when the machine is busy.
        cpu_parameterised_vs_in_process: Number(
          (cpu('lookup in-process') / cpu('lookup over the wire (node-pg, unnamed')).toFixed(2),
        ),
        cpu_rows_wire_vs_in_process: Number(
          (cpu('in-process (DuckDB') / cpu('not kept')).toFixed(2),
        ),
      });
    } finally {
      await s.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
