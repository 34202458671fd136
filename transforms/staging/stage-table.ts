import type { EntityName } from '../../foundation/entities.ts';
import type { CdwConfig, ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Counts } from '../../foundation/step.ts';
import type { Logger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';
import { TransformError } from '../transform-error.ts';
import { LOAD_COLUMNS, readRawLayout, type RawLayout } from './raw-layout.ts';
import { recordRejections } from './record-rejections.ts';
import { appendStdRows } from './append-std-rows.ts';
import type { StepStdPool } from './party-std-pool.ts';
import { buildTypedTable } from './typed-table.ts';
import { splitLines } from './split-lines.ts';
import { connectorKind } from '../../connectors/registry.ts';

/** What staging one source table produced (of the keys that changed, when incremental). */
export interface StagedTable {
  readonly source: ResolvedSource;
  readonly table: ResolvedTable;
  /** rows_in = latest live raw rows (of the changed keys), rows_out = rows appended to the entity's table, rows_rejected = rows refused. */
  readonly counts: Counts;
  /** Nothing to stage (no raw table yet, or no source columns): the table has no rows tonight. */
  readonly empty?: boolean;
}

export interface StageTableEnv {
  readonly wh: Warehouse;
  readonly config: CdwConfig;
  readonly runId: string;
  readonly logger: Logger;
  /** The staging table (being built) each entity's rows are appended to. */
  readonly targets: Readonly<Record<EntityName, string>>;
  /** Where the record keys restaged tonight are listed: (source, source_table, rk). */
  readonly changedKeys: readonly [string, string];
  /** Where the keys of the raw rows read tonight go, for `meta.transform_keys`: (raw_table, rk, rid). */
  readonly keyRows: readonly [string, string];
  /** The step's worker threads for the party standardisers (none: the main thread). */
  readonly stdPool?: StepStdPool;
}

/** Which raw rows to stage: undefined for all, else SQL true for the rows not staged yet. */
export interface StageRows {
  readonly newRowsSql: string | undefined;
}

/**
 * Stages one source table: types its latest raw rows, records rejections, standardises the
 * rest into the entity's table, and checks that nothing was dropped (rows in = rows out +
 * rows rejected).
 */
export async function stageTable(
  env: StageTableEnv,
  source: ResolvedSource,
  table: ResolvedTable,
  rows: StageRows = { newRowsSql: undefined },
): Promise<StagedTable> {
  const { wh } = env;
  const where = `${source.name}.${table.name}`;
  const layout = await readRawLayout(wh, table.rawTable);
  if (layout === undefined || !hasSourceColumns(layout)) {
    // Nothing to stage and nothing to lose: such a table never fails the others.
    const why =
      layout === undefined
        ? `raw.${table.rawTable} does not exist yet (nothing landed)`
        : `raw.${table.rawTable} has no source columns yet (only empty files were read)`;
    return {
      source,
      table,
      empty: true,
      counts: { rowsIn: 0, rowsOut: 0, rowsRejected: 0, warnings: [`${why}; staged no rows`] },
    };
  }
  const warnings: string[] = [];
  // A kind that lands lines whole (web logs) has them split here, the new ones only; typing
  // reads the split lines in place of raw.
  const split = connectorKind(source.kind).lineSplit?.(table);
  const lines =
    split === undefined
      ? undefined
      : await splitLines(wh, env.runId, source, table, layout, split, rows.newRowsSql);
  const rowsLayout =
    lines === undefined ? layout : await readRawLayout(wh, lines.rows[1], lines.rows[0]);
  const typed = await buildTypedTable(
    wh,
    source,
    table,
    rowsLayout!,
    {
      birthDateMinYear: env.config.transforms.birthDateMinYear,
      newRowsSql: rows.newRowsSql,
      changedKeys: env.changedKeys,
      keyRows: env.keyRows,
      rows: lines?.rows,
    },
    warnings,
  );
  await recordRejections(wh, env.runId, source, table, rowsLayout!, typed, lines?.rows);
  const rowsOut = await appendStdRows(
    wh,
    env.config,
    source,
    table,
    typed,
    env.targets[table.entity],
    env.stdPool,
  );
  const c = await wh.one<{ rows_in: number; rejected: number }>(
    `SELECT count(*) AS rows_in, count(*) FILTER (WHERE _rejected) AS rejected FROM ${qualified('staging', typed)}`,
  );
  // Lines that did not split were read and refused too.
  const rowsIn = Number(c?.rows_in ?? 0) + (lines?.rejected ?? 0);
  const rowsRejected = Number(c?.rejected ?? 0) + (lines?.rejected ?? 0);
  // values of kept rows that could not be typed or were out of their plausible range: NULL in
  // staging (kept out of matching and golden records), each recorded in meta.rejected_rows
  const flagged = await wh.all<{ field: string; reason: string; n: number }>(
    `SELECT issue.field AS field, issue.reason AS reason, count(*) AS n
     FROM (SELECT unnest(_issues) AS issue FROM ${qualified('staging', typed)} WHERE NOT _rejected)
     WHERE NOT issue.fatal GROUP BY ALL ORDER BY n DESC, field`,
  );
  const notes = flagged.map(
    (f) =>
      `${Number(f.n).toLocaleString('en-US')} ${f.field} value${Number(f.n) === 1 ? '' : 's'} set to NULL: ${f.reason}`,
  );
  if (rowsIn !== rowsOut + rowsRejected) {
    throw new TransformError(
      'transform_balance',
      `transform ${where}: ${rowsIn} latest raw rows but ${rowsOut} staged + ${rowsRejected} rejected; ${rowsIn - rowsOut - rowsRejected} unaccounted`,
    );
  }
  if (rowsRejected > 0)
    env.logger.warn(
      `transform ${where}: ${rowsRejected} of ${rowsIn} rows rejected (see meta.rejected_rows, stage staging)`,
    );
  await wh.run(`DROP TABLE ${qualified('staging', typed)}`);
  if (lines !== undefined) await wh.run(`DROP TABLE ${qualified(...lines.rows)}`);
  return { source, table, counts: { rowsIn, rowsOut, rowsRejected, warnings, notes } };
}

/** Whether a raw table holds any column of the source (not only cdw's own). */
function hasSourceColumns(layout: RawLayout): boolean {
  return [...layout.columns.keys()].some(
    (c) => !(LOAD_COLUMNS as readonly string[]).includes(c) && !LOCATION_OR_FLAG.has(c),
  );
}

const LOCATION_OR_FLAG = new Set(['_file', '_line', '_deleted', '_deleted_at']);
