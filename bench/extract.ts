import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MYSQL_URL, PG_URL } from '../tests/helpers/databases.ts';
import {
  duckdbCountSeconds,
  duckdbLoad,
  duckdbLoadSeconds,
  mysqlCountSeconds,
  psqlCopySeconds,
} from './extract/raw-rates.ts';
import { duckdbRegexParse } from './extract/sql-parse.ts';
import {
  LOG_PATTERN,
  MYSQL_TABLE,
  PG_TABLE,
  csvFile,
  dropTables,
  logFile,
  mysqlTable,
  postgresTable,
} from './extract/sources.ts';

/** Options for the extract benchmark. */
export interface ExtractBenchOptions {
  /** Rows per source. Default 1 000 000. */
  rows?: number;
  /** DuckDB memory limit of the extracting process. Default 128MB. */
  memoryLimit?: string;
  /** Keep the PostgreSQL/MySQL bench tables for the next run. */
  keep?: boolean;
  /** Only these kinds, comma-separated (`--kinds weblog`). Default: all. */
  kinds?: string;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'extract', 'child.ts');

interface ChildResult {
  status: string;
  error: string | null;
  rowsIn: number;
  rowsOut: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Web logs: the transform step run after the extract on the same warehouse. */
  transform?: {
    status: string;
    error: string | null;
    seconds: number;
    cpuSeconds: number;
    unitSeconds: number;
    rowsOut: number;
    rowsRejected: number;
  };
}

/**
 * Landed rows/s and peak RSS of the extracting process for a 1M-row PostgreSQL table, MySQL
 * table, CSV file and access log, each beside the raw read rate of the same source measured in
 * the same run (`psql \copy … to /dev/null`, a count-only mysql2 stream, DuckDB's read_csv
 * count), with their ratio. Each extract runs in a child process with a fresh warehouse file.
 */
export async function run(opts: ExtractBenchOptions = {}): Promise<Record<string, unknown>[]> {
  const rows = opts.rows ?? 1_000_000;
  const memoryLimit = opts.memoryLimit ?? '128MB';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-extract-'));
  const figures: Record<string, unknown>[] = [];
  const only = typeof opts.kinds === 'string' ? opts.kinds.split(',') : undefined;
  const wanted = (kind: string) => only === undefined || only.includes(kind);
  try {
    const csv = path.join(dir, 'bench.csv');
    const log = path.join(dir, 'access.log');
    await csvFile(csv, rows);
    if (wanted('weblog')) await logFile(log, rows);
    if (wanted('postgres')) await postgresTable(PG_URL, rows);
    if (wanted('mysql')) await mysqlTable(MYSQL_URL, rows);
    // The same 8 columns × rows as the database tables: what DuckDB alone needs to store them.
    const floorSeconds = await duckdbLoadSeconds(csv, path.join(dir, 'floor.duckdb'), memoryLimit);

    const cases: {
      kind: string;
      table: string;
      raw: () => Promise<number | undefined>;
      rawMethod: string;
    }[] = [
      {
        kind: 'postgres',
        table: `{ name: t, table: ${PG_TABLE}, entity: party, primary_key: id, cursor: updated_at, mapping: { record_key: id, updated_at: updated_at } }`,
        raw: async () => psqlCopySeconds(PG_URL),
        rawMethod: 'psql \\copy (SELECT *) TO /dev/null',
      },
      {
        kind: 'mysql',
        table: `{ name: t, table: ${MYSQL_TABLE}, entity: party, primary_key: id, cursor: updated_at, mapping: { record_key: id, updated_at: updated_at } }`,
        raw: () => mysqlCountSeconds(MYSQL_URL),
        rawMethod: 'mysql2 count-only stream',
      },
      {
        kind: 'csv',
        table: `{ name: t, path: "${csv}", entity: party, mapping: { record_key: id } }`,
        raw: () => duckdbCountSeconds(csv, false),
        rawMethod: 'DuckDB read_csv count(*)',
      },
      {
        kind: 'weblog',
        table: `{ name: t, path: "${log}", format: pattern, pattern: '${LOG_PATTERN}', visitor_id: { cookie: _vid }, user_id: { field: remote_user }, entity: web_hit, mapping: { record_key: hit_key, occurred_at: ts, ip: remote_addr, cookie_id: visitor_id, user_id: user_id, method: method, url: url, status: status, bytes: body_bytes_sent, referrer: http_referer, user_agent: http_user_agent } }`,
        raw: () => duckdbCountSeconds(log, true),
        rawMethod: 'DuckDB read_csv count(*) of the lines',
      },
    ];
    for (const c of cases.filter((k) => wanted(k.kind))) {
      const rawSeconds = await c.raw();
      // A log's own floor: DuckDB landing the same lines, one column each, in this run.
      const linesFloor =
        c.kind === 'weblog'
          ? await duckdbLoad(log, path.join(dir, 'floor-lines.duckdb'), memoryLimit, true)
          : undefined;
      // The SQL path: DuckDB splitting the same lines into the format's fields with a regex.
      const sqlParse =
        c.kind === 'weblog'
          ? await duckdbRegexParse(
              log,
              path.join(dir, 'sql-parse.duckdb'),
              memoryLimit,
              LOG_PATTERN,
            )
          : undefined;
      const config = path.join(dir, `${c.kind}.yaml`);
      const connection =
        c.kind === 'postgres'
          ? `{ url: "${PG_URL}" }`
          : c.kind === 'mysql'
            ? `{ url: "${MYSQL_URL}" }`
            : '{}';
      writeFileSync(
        config,
        `warehouse: { path: ${c.kind}.duckdb, memory_limit: ${memoryLimit} }\nsources:\n  - name: bench\n    kind: ${c.kind}\n    connection: ${connection}\n    tables:\n      - ${c.table}\n`,
      );
      // A log's lines are split by the transform: its cost belongs beside the extract's. The
      // transform (sessions of 1M hits) runs with a nightly run's memory, not the extract's 128 MB.
      const transformConfig = path.join(dir, `${c.kind}-transform.yaml`);
      writeFileSync(
        transformConfig,
        readFileSync(config, 'utf8').replace(`memory_limit: ${memoryLimit}`, 'memory_limit: 2GB'),
      );
      const args =
        c.kind === 'weblog' ? [CHILD, config, 'transform', transformConfig] : [CHILD, config];
      const out = execFileSync(process.execPath, ['--import', 'tsx', ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      if (r.status !== 'succeeded') {
        // One kind failing (e.g. out of memory under the limit) is a figure too; the others still run.
        figures.push({
          kind: c.kind,
          rows,
          failed: r.error,
          peak_rss_mb: r.peakRssMb,
          load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
          duckdb_memory_limit: memoryLimit,
        });
        continue;
      }
      const rate = r.rowsOut / r.seconds;
      const rawRate = rawSeconds === undefined ? undefined : rows / rawSeconds;
      figures.push({
        kind: c.kind,
        rows,
        rows_landed: r.rowsOut,
        extract_seconds: Number(r.seconds.toFixed(3)),
        extract_rows_per_s: Math.round(rate),
        raw_method: c.rawMethod,
        raw_seconds: rawSeconds === undefined ? null : Number(rawSeconds.toFixed(3)),
        raw_rows_per_s: rawRate === undefined ? null : Math.round(rawRate),
        ratio: rawRate === undefined ? null : Number((rate / rawRate).toFixed(3)),
        duckdb_load_floor_method:
          linesFloor === undefined
            ? 'CREATE TABLE AS read_csv of the same rows (8 VARCHAR columns)'
            : 'CREATE TABLE AS read_csv of the same lines (one VARCHAR column)',
        duckdb_load_floor_seconds: Number((linesFloor?.seconds ?? floorSeconds).toFixed(3)),
        duckdb_load_floor_cpu_seconds:
          linesFloor === undefined ? null : Number(linesFloor.cpuSeconds.toFixed(3)),
        duckdb_load_floor_rows_per_s: Math.round(rows / (linesFloor?.seconds ?? floorSeconds)),
        ratio_to_duckdb_load_floor: Number(
          (rate / (rows / (linesFloor?.seconds ?? floorSeconds))).toFixed(3),
        ),
        cpu_ratio_to_duckdb_load_floor:
          linesFloor === undefined
            ? null
            : Number((linesFloor.cpuSeconds / r.cpuSeconds).toFixed(3)),
        ...(sqlParse === undefined
          ? {}
          : {
              duckdb_sql_parse_method:
                'CREATE TABLE AS regexp_extract(line, <format as RE2 groups>) of the same lines (fields only: no time, cookie, request split)',
              duckdb_sql_parse_seconds: Number(sqlParse.seconds.toFixed(3)),
              duckdb_sql_parse_cpu_seconds: Number(sqlParse.cpuSeconds.toFixed(3)),
            }),
        // CPU of the extracting process (all threads, incl. DuckDB's): less sensitive than wall time to a busy machine.
        extract_cpu_seconds: Number(r.cpuSeconds.toFixed(3)),
        ...(r.transform === undefined
          ? {}
          : {
              transform_memory_limit: '2GB',
              transform_status: r.transform.status,
              transform_error: r.transform.error,
              transform_seconds: Number(r.transform.seconds.toFixed(3)),
              transform_cpu_seconds: Number(r.transform.cpuSeconds.toFixed(3)),
              transform_unit_seconds: r.transform.unitSeconds,
              transform_rows_staged: r.transform.rowsOut,
              transform_rows_rejected: r.transform.rowsRejected,
            }),
        peak_rss_mb: r.peakRssMb,
        load_average: os.loadavg().map((x) => Number(x.toFixed(2))),
        duckdb_memory_limit: memoryLimit,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (opts.keep !== true && (wanted('postgres') || wanted('mysql')))
      await dropTables(PG_URL, MYSQL_URL).catch(() => undefined);
  }
  return figures;
}
