import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfigText } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { silentLogger, type Logger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import { extractStep } from '../../connectors/extract-step.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { connectorKind } from '../../connectors/registry.ts';

/** A config written into `dir` (so relative paths resolve there), validated like `cdw.yaml`. */
export function configIn(dir: string, yaml: string): CdwConfig {
  const file = path.join(dir, 'cdw.yaml');
  writeFileSync(file, yaml);
  return parseConfigText(yaml, file, { env: {} });
}

/** One run of the extract step alone against `wh`, recorded in the ledger like a nightly run. */
export async function extractOnce(
  config: CdwConfig,
  wh: Warehouse,
  opts: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<RunSummary> {
  return runPipeline(config, {
    trigger: 'test',
    logger: opts.logger ?? silentLogger,
    steps: [extractStep],
    warehouse: wh,
    signal: opts.signal,
  });
}

/** The unit row of one table in a run summary. */
export function unitOf(s: RunSummary, unit: string) {
  const u = s.steps.find((x) => x.step === 'extract' && x.source === unit);
  if (u === undefined)
    throw new Error(
      `no unit ${unit} in run ${s.runId}: ${s.steps.map((x) => x.source).join(', ')}`,
    );
  return u;
}

/** Rows of a raw table without the load columns, ordered, for exact comparison. */
export async function rawRows(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
  orderBy = '1',
): Promise<Record<string, unknown>[]> {
  return wh.all(
    `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM raw."${table}" ORDER BY ${orderBy}`,
  );
}

/**
 * A kind's raw lines split into the columns its format gives them, as the transform splits them
 * (web logs land each line whole): `columns` of every landed line, in order, with `_reject`.
 */
export async function splitRows(
  wh: Warehouse,
  config: CdwConfig,
  unit: string,
  columns: string,
): Promise<Record<string, unknown>[]> {
  const [sourceName, tableName] = unit.split('.');
  const source = config.sources.find((s) => s.name === sourceName)!;
  const table = source.tables.find((t) => t.name === tableName)!;
  const split = connectorKind(source.kind).lineSplit!(table);
  return wh.all(
    `SELECT ${columns} FROM (${split.sql(`SELECT * FROM raw."${table.rawTable}"`)}) ORDER BY _file, _line`,
  );
}

/** Rejected rows of a source table: reason, raw text and location. */
export async function rejected(
  wh: Warehouse,
  source: string,
  table: string,
): Promise<
  { reason: string; raw: string | null; location: string | null; load_id: string | null }[]
> {
  return wh.all(
    `SELECT reason, raw, location, load_id FROM meta.rejected_rows WHERE source = $1 AND source_table = $2 ORDER BY location`,
    [source, table],
  );
}

/** The latest load of a table in `meta.loads`, with its counts (rows_read = landed + skipped + rejected). */
export async function lastLoad(
  wh: Warehouse,
  source: string,
  table: string,
): Promise<{
  status: string;
  rows_read: number;
  rows_landed: number;
  rows_skipped: number;
  rows_rejected: number;
  rows_behind_cursor: number | null;
  warnings: string | null;
  error: string | null;
}> {
  const r = await wh.one(
    `SELECT status, rows_read, rows_landed, rows_skipped, rows_rejected, rows_behind_cursor, warnings, error
     FROM meta.loads WHERE source = $1 AND source_table = $2 ORDER BY started_at DESC LIMIT 1`,
    [source, table],
  );
  if (r === undefined) throw new Error(`no load of ${source}.${table}`);
  return r as never;
}
