import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import type { LineSplit } from '../../connectors/types.ts';
import { safeDetail } from '../safe-detail.ts';
import { TransformError } from '../transform-error.ts';
import type { RawLayout } from './raw-layout.ts';

/** The raw column of a kind that lands its lines whole (connectors/CONTEXT.md, web logs). */
const LINE = 'log_line';
/** The column of the split lines that keeps each line's rowid in raw (for `meta.transform_keys`). */
export const SPLIT_RAW_RID = '__cdw_raw_rid';

/**
 * Splits the raw lines of one table into the columns its kind's format gives them
 * (`staging._lines__<source>__<table>`), which the table's typing then reads in place of raw:
 * the new lines only when `newRowsSql` is given. Lines that do not split go to
 * `meta.rejected_rows` (stage `staging`, the line as raw text, `file:line`) — recorded once per
 * load, line and reason — and out of the table. Rows landed before lines were kept whole
 * (`log_line` NULL) keep the columns they landed with. Returns the table and how many lines
 * were refused.
 */
export async function splitLines(
  wh: Warehouse,
  runId: string,
  source: ResolvedSource,
  table: ResolvedTable,
  layout: RawLayout,
  split: LineSplit,
  newRowsSql: string | undefined,
): Promise<{ rows: readonly [string, string]; rejected: number }> {
  const name = `_lines__${table.rawTable}`;
  const target = qualified('staging', name);
  const landed = [...layout.columns.values()].map((c) => c.name);
  const made = new Set(split.columns.map((c) => c.toLowerCase()));
  const kept = landed.filter((c) => !made.has(c.toLowerCase()) && c !== LINE);
  const old = landed.filter((c) => made.has(c.toLowerCase()));
  const from = `SELECT ${[
    `rowid AS ${SPLIT_RAW_RID}`,
    ...kept.map(quoteIdent),
    layout.columns.has(LINE) ? quoteIdent(LINE) : `CAST(NULL AS VARCHAR) AS ${quoteIdent(LINE)}`,
    ...old.map((c) => `${quoteIdent(c)} AS ${quoteIdent(`__old__${c.toLowerCase()}`)}`),
  ].join(', ')} FROM ${qualified('raw', table.rawTable)} WHERE ${newRowsSql ?? 'true'}`;
  const columns = split.columns.map((c) =>
    made.has(c.toLowerCase()) && old.some((o) => o.toLowerCase() === c.toLowerCase())
      ? `CASE WHEN ${quoteIdent(LINE)} IS NULL THEN ${quoteIdent(`__old__${c.toLowerCase()}`)} ELSE ${quoteIdent(c)} END AS ${quoteIdent(c)}`
      : quoteIdent(c),
  );
  const where = `${source.name}.${table.name}`;
  try {
    await wh.run(
      `CREATE OR REPLACE TABLE ${target} AS
       SELECT ${[SPLIT_RAW_RID, ...kept.map(quoteIdent), ...columns].join(', ')}, ${quoteIdent(LINE)},
              CASE WHEN ${quoteIdent(LINE)} IS NOT NULL THEN _reject END AS _reject
       FROM (${split.sql(from)}) AS s`,
    );
  } catch (err) {
    throw new TransformError(
      'transform_error',
      `transform ${where}: splitting the lines of raw.${table.rawTable} failed: ${safeDetail(err)}`,
      { cause: err },
    );
  }
  const location = layout.columns.has('_line')
    ? `"_file" || ':' || CAST("_line" AS VARCHAR)`
    : 'NULL';
  await wh.run(
    `INSERT INTO meta.rejected_rows (run_id, load_id, source, source_table, reason, raw, rejected_at, stage, location)
     SELECT n.* FROM (
       SELECT $1 AS run_id, _load_id AS load_id, $2 AS source, $3 AS source_table, _reject AS reason,
              ${quoteIdent(LINE)} AS raw, current_timestamp AS rejected_at, 'staging' AS stage, ${location} AS location
       FROM ${target} WHERE _reject IS NOT NULL
     ) AS n
     WHERE NOT EXISTS (
       SELECT 1 FROM meta.rejected_rows x
       WHERE x.stage = 'staging' AND x.source = n.source AND x.source_table = n.source_table
         AND x.load_id IS NOT DISTINCT FROM n.load_id AND x.location IS NOT DISTINCT FROM n.location
         AND x.reason = n.reason
     )`,
    [runId, source.name, table.name],
  );
  const rejected = Number(
    (await wh.scalar(`SELECT count(*) FROM ${target} WHERE _reject IS NOT NULL`)) ?? 0,
  );
  if (rejected > 0) await wh.run(`DELETE FROM ${target} WHERE _reject IS NOT NULL`);
  await wh.run(`ALTER TABLE ${target} DROP COLUMN _reject`);
  await wh.run(`ALTER TABLE ${target} DROP COLUMN ${quoteIdent(LINE)}`);
  return { rows: ['staging', name], rejected };
}
