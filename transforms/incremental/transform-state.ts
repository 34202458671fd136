import { createHash } from 'node:crypto';
import { codeVersion } from '../../foundation/code-version.ts';
import type { CdwConfig, ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import { tablesIn, type Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteLiteral } from '../../foundation/sql.ts';

/**
 * What the last successful transform staged, so tonight's restages only what changed:
 * - `meta.transform_state(raw_table, fingerprint, raw_rows, staged_at)`: per raw table, a hash of
 *   everything that decides its staged rows besides raw (its source's and its own config, the
 *   transform settings) and how many raw rows it had;
 * - `meta.transform_loads(raw_table, load_id)`: the loads whose rows are in staging;
 * - `meta.transform_code(version)`: a hash of the transform's code (its SQL and TypeScript,
 *   the standardisers, libphonenumber's version);
 * - `meta.transform_keys(raw_table, rk, rid)`: the record key of every keyed raw row staged
 *   (its rowid in raw), so a night reads the versions of its changed keys from this narrow
 *   table instead of computing the key of every raw row (raw is append only; a table that
 *   lost rows is restaged whole, which writes its keys anew).
 *
 * A table is restaged whole when it has no state, its fingerprint changed, or raw lost rows
 * since (raw is append only; fewer rows means someone removed some). Staging is rebuilt from
 * raw when the code changed, a staging table is missing, or on `cdw run --full-refresh`.
 * The state is written in the transaction that applies the night's changes to staging.
 */
export async function openTransformState(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.transform_state (raw_table VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, raw_rows BIGINT NOT NULL, staged_at TIMESTAMPTZ NOT NULL)`,
  );
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.transform_loads (raw_table VARCHAR NOT NULL, load_id VARCHAR NOT NULL)`,
  );
  await wh.run(`CREATE TABLE IF NOT EXISTS meta.transform_code (version VARCHAR NOT NULL)`);
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.transform_keys (raw_table VARCHAR NOT NULL, rk VARCHAR NOT NULL, rid BIGINT NOT NULL)`,
  );
  // what tonight changed, for the steps after (see models/note-changes.sql)
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.staging_changes (model VARCHAR NOT NULL, uid VARCHAR)`,
  );
}

/** How one source table is staged tonight. */
export interface TablePlan {
  /** Only the keys with raw rows from loads not staged yet are restaged. */
  readonly incremental: boolean;
  /** Why the table is restaged whole (said in the unit's note); undefined when incremental. */
  readonly why?: string;
  readonly fingerprint: string;
  /** SQL over a raw row: true for rows of loads not staged yet. */
  readonly newRowsSql: string;
  /** Raw rows of loads not staged yet (incremental plans only): none means nothing to restage. */
  readonly newRows?: number;
}

/** The raw rows of loads the last successful transform did not stage. */
function newRowsSql(rawTable: string): string {
  return `"_load_id" NOT IN (SELECT load_id FROM meta.transform_loads WHERE raw_table = ${quoteLiteral(rawTable)})`;
}

/** Decides whether a table can be staged incrementally tonight. */
export async function planTable(
  wh: Warehouse,
  config: CdwConfig,
  source: ResolvedSource,
  table: ResolvedTable,
  opts: { rebuild: string | undefined },
): Promise<TablePlan> {
  const fingerprint = tableFingerprint(config, source, table);
  const base = { fingerprint, newRowsSql: newRowsSql(table.rawTable) };
  if (opts.rebuild !== undefined) return { ...base, incremental: false, why: opts.rebuild };
  const state = await wh.one<{ fingerprint: string; raw_rows: number }>(
    `SELECT fingerprint, raw_rows FROM meta.transform_state WHERE raw_table = $1`,
    [table.rawTable],
  );
  if (state === undefined)
    return { ...base, incremental: false, why: 'first staged (no state of a last run)' };
  if (state.fingerprint !== fingerprint)
    return { ...base, incremental: false, why: 'its configuration changed' };
  const counts = await wh.one<{ staged: number; new_rows: number }>(
    `SELECT count(*) FILTER (WHERE NOT (${base.newRowsSql})) AS staged, count(*) FILTER (WHERE ${base.newRowsSql}) AS new_rows
     FROM ${qualified('raw', table.rawTable)}`,
  );
  if (Number(counts?.staged ?? 0) !== Number(state.raw_rows))
    return { ...base, incremental: false, why: 'raw rows were removed since the last run' };
  return { ...base, incremental: true, newRows: Number(counts?.new_rows ?? 0) };
}

/**
 * Hash of the config that decides a table's staged rows: its source's settings (zone, country,
 * system, the source's only party table), the table's own, and the transform settings.
 */
export function tableFingerprint(
  config: CdwConfig,
  source: ResolvedSource,
  table: ResolvedTable,
): string {
  const parties = source.tables.filter((t) => t.enabled && t.entity === 'party').map((t) => t.name);
  const { tables: _tables, connection: _connection, ...sourceSettings } = source;
  return createHash('md5')
    .update(
      JSON.stringify({
        sourceSettings,
        parties,
        table,
        // How many threads standardise changes no result: not part of the fingerprint.
        transforms: { ...config.transforms, standardiseWorkers: undefined },
      }),
    )
    .digest('hex');
}

/**
 * Hash of the transform's code (this folder but its notes, libphonenumber's version): a change
 * restages everything, so a fix applies to every row.
 */
export function transformCodeVersion(): string {
  return codeVersion(new URL('../', import.meta.url), [
    new URL(import.meta.resolve('libphonenumber-js/package.json')),
  ]);
}

/** Why staging is rebuilt from raw tonight; undefined when it can be changed in place. */
export async function rebuildReason(
  wh: Warehouse,
  opts: { fullRefresh: boolean; publishedTables: readonly string[] },
): Promise<string | undefined> {
  if (opts.fullRefresh) return 'full refresh';
  const staging = await tablesIn(wh, 'staging');
  for (const t of opts.publishedTables)
    if (!staging.has(t)) return `staging.${t} does not exist yet`;
  const v = await wh.scalar<string | undefined>(`SELECT max(version) FROM meta.transform_code`);
  if (v !== transformCodeVersion()) return 'the transform code changed since the last run';
  return undefined;
}

/**
 * In the publishing transaction: records what tonight staged. `staged` lists the tables staged
 * (with their plans); every other table's state is dropped (disabled, or nothing to stage).
 */
export async function recordTransformState(
  wh: Warehouse,
  staged: readonly { readonly table: ResolvedTable; readonly plan: TablePlan }[],
  keyRows: readonly [string, string],
): Promise<void> {
  await wh.run(`DELETE FROM meta.transform_code`);
  await wh.run(`INSERT INTO meta.transform_code VALUES ($1)`, [transformCodeVersion()]);
  // the table names come from the config (quoted), never from rows
  const names = `[${staged.map((s) => quoteLiteral(s.table.rawTable)).join(', ')}]::VARCHAR[]`;
  await wh.run(`DELETE FROM meta.transform_state WHERE NOT list_contains(${names}, raw_table)`);
  await wh.run(`DELETE FROM meta.transform_loads WHERE NOT list_contains(${names}, raw_table)`);
  await wh.run(`DELETE FROM meta.transform_keys WHERE NOT list_contains(${names}, raw_table)`);
  for (const { table, plan } of staged) {
    const raw = qualified('raw', table.rawTable);
    if (!plan.incremental) {
      await wh.run(`DELETE FROM meta.transform_loads WHERE raw_table = $1`, [table.rawTable]);
      await wh.run(`DELETE FROM meta.transform_keys WHERE raw_table = $1`, [table.rawTable]);
    }
    await wh.run(
      `INSERT INTO meta.transform_keys SELECT raw_table, rk, rid FROM ${qualified(...keyRows)} WHERE raw_table = $1 AND rk IS NOT NULL`,
      [table.rawTable],
    );
    await wh.run(
      `INSERT INTO meta.transform_loads SELECT DISTINCT $1, "_load_id" FROM ${raw} WHERE ${plan.newRowsSql}`,
      [table.rawTable],
    );
    await wh.run(
      `INSERT OR REPLACE INTO meta.transform_state VALUES ($1, $2, (SELECT count(*) FROM ${raw}), now())`,
      [table.rawTable, plan.fingerprint],
    );
  }
}
