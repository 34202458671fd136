import type { CampaignSettings, SegmentRule } from '../../foundation/config-types.ts';
import type { Counts } from '../../foundation/step.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { MARTS, type MartDefinition, type MartEnv } from './marts/mart-catalog.ts';
import {
  digest,
  forgetFingerprint,
  lastFingerprint,
  markWritten,
  martsSqlVersion,
  openMartState,
  recordFingerprint,
  tableFingerprint,
  upstreamColumns,
} from './mart-state.ts';
import { writeSourceTables, type SourceTableInfo } from './marts/source-tables.ts';
import { JobError } from '../errors.ts';
import { businessAsOf, businessDate } from './business-date.ts';
import { commentMarts } from './marts/comment-marts.ts';

export interface MartsOptions {
  readonly runId: string;
  /** "now" for recency, lifecycle and complaint windows; defaults to the latest event in the data */
  readonly asOf?: Date;
  readonly complaintDays: number;
  readonly segments: readonly SegmentRule[];
  readonly sourceTables: readonly SourceTableInfo[];
  /** `campaigns:` of the config (defaults when not given) */
  readonly campaigns?: CampaignSettings;
  /** only these marts (and nothing else); default all */
  readonly only?: readonly string[];
  /** rebuild every mart whole (`cdw run --full-refresh`); default: only what changed */
  readonly fullRefresh?: boolean;
  /** debug lines about what was rebuilt (counts only, never customer data) */
  readonly log?: (message: string) => void;
}

/** Runs one mart as a unit and says whether it succeeded (the pipeline records it in meta.run_steps). */
export type UnitRunner = (
  name: string,
  fn: () => Promise<Counts>,
) => Promise<{ readonly status: string; readonly error: string | null }>;

/** A runner without a ledger: errors propagate (tests, bench). */
export const throwingUnit: UnitRunner = async (_name, fn) => {
  await fn();
  return { status: 'succeeded', error: null };
};

/**
 * Builds the marts in order. A mart whose inputs are missing fails naming them; a mart whose
 * dependency failed fails saying so; the others still run. A night rebuilds only what changed
 * (`refresh` in mart-catalog.ts): a mart whose inputs are as at its last build is skipped, the
 * customer marts rebuild the customers whose inputs changed; `fullRefresh` rebuilds everything.
 */
export async function buildMarts(
  wh: Warehouse,
  opts: MartsOptions,
  unit: UnitRunner = throwingUnit,
): Promise<Map<string, string>> {
  await writeSourceTables(wh, opts.sourceTables);
  const asOf = opts.asOf ?? (await businessAsOf(wh));
  await recordAsOf(wh, opts.runId, asOf);
  await openMartState(wh);
  const env: MartEnv = {
    wh,
    runId: opts.runId,
    asOf,
    complaintDays: opts.complaintDays,
    segments: opts.segments,
    campaigns: opts.campaigns,
    fullRefresh: opts.fullRefresh ?? false,
    log: opts.log ?? (() => undefined),
  };
  const status = new Map<string, string>();
  // fingerprints of the upstream tables, taken once per build (no mart writes outside marts.*)
  const seen = new Map<string, string>();
  const upstream = await upstreamColumns(wh);
  for (const mart of MARTS.filter((m) => opts.only === undefined || opts.only.includes(m.name))) {
    const r = await unit(mart.name, async () => {
      await checkReady(wh, mart, status, upstream);
      return buildOne(env, mart, seen, upstream);
    });
    status.set(mart.name, r.status);
  }
  // Descriptions for BI tools and \d (COMMENT ON every mart table and column).
  await commentMarts(wh);
  return status;
}

/** One mart, rebuilt or skipped as its `refresh` says; its counts with the rows recomputed. */
async function buildOne(
  env: MartEnv,
  mart: MartDefinition,
  seen: Map<string, string>,
  upstream: ReadonlyMap<string, readonly string[]>,
): Promise<Counts> {
  const { wh } = env;
  // `touched`: the rows (customers) recomputed, so a quiet night shows it did little
  const counts = (rows: number, touched: number, note?: string, what = 'rows'): Counts => ({
    rowsIn: null,
    rowsOut: rows,
    rowsRejected: null,
    touched: { count: touched, what },
    notes: note ? [note] : [],
  });
  const writes = mart.writes ?? [mart.table];
  if (mart.refresh === 'run') {
    await markWritten(wh, writes);
    const rows = Number(await mart.build(env));
    return counts(rows, rows);
  }
  if (mart.refresh === 'scoped') {
    const built = await mart.build(env);
    if (typeof built === 'number') return counts(built, built);
    return counts(built.rows, built.touched, built.note, built.what ?? 'customers');
  }
  const fp = await wholeFingerprint(env, mart, seen, upstream);
  if (
    !env.fullRefresh &&
    fp === (await lastFingerprint(wh, mart.name)) &&
    (await wh.tableExists('marts', mart.table.slice('marts.'.length)))
  ) {
    const rows = Number(await wh.scalar(`SELECT count(*) FROM ${mart.table}`));
    return counts(rows, 0, 'unchanged inputs: not rebuilt');
  }
  // a build killed half way must not be taken for a finished one
  await forgetFingerprint(wh, mart.name);
  await markWritten(wh, writes);
  const built = await mart.build(env);
  const rows = typeof built === 'number' ? built : built.rows;
  env.log(`${mart.table} rebuilt (${rows} rows)`);
  await recordFingerprint(wh, mart.name, fp);
  return counts(
    rows,
    rows,
    env.fullRefresh ? 'rebuilt whole: full refresh' : 'rebuilt: inputs changed',
  );
}

/**
 * What a `whole` mart is built from: the content of the tables it reads, the marts it depends
 * on (what they were last built from), the settings, the as-of when it uses one, the mart SQL.
 */
async function wholeFingerprint(
  env: MartEnv,
  mart: MartDefinition,
  seen: Map<string, string>,
  upstream: ReadonlyMap<string, readonly string[]>,
): Promise<string> {
  const inputs: Record<string, string> = {};
  for (const t of mart.reads ?? mart.inputs) {
    const isUpstream = !t.startsWith('marts.');
    const fp =
      (isUpstream ? seen.get(t) : undefined) ??
      (await tableFingerprint(env.wh, t, isUpstream ? (upstream.get(t) ?? null) : undefined));
    if (isUpstream) seen.set(t, fp);
    inputs[t] = fp;
  }
  const deps: Record<string, string | null> = {};
  for (const d of mart.dependsOn) deps[d] = (await lastFingerprint(env.wh, d)) ?? null;
  return digest({
    sql: martsSqlVersion(),
    asOf: mart.usesAsOf === false ? null : env.asOf.toISOString(),
    settings: {
      complaintDays: env.complaintDays,
      segments: env.segments,
      campaigns: env.campaigns ?? null,
    },
    inputs,
    deps,
  });
}

/** Keeps the as-of of each run's marts (the overview's trend is per business date). */
async function recordAsOf(wh: Warehouse, runId: string, asOf: Date): Promise<void> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS marts.run_as_of (run_id VARCHAR PRIMARY KEY, as_of TIMESTAMPTZ NOT NULL, business_date DATE NOT NULL, computed_at TIMESTAMPTZ NOT NULL)`,
  );
  await wh.run(
    `INSERT OR REPLACE INTO marts.run_as_of VALUES ($1, $2::TIMESTAMPTZ, $3::DATE, current_timestamp)`,
    [runId, asOf.toISOString(), businessDate(asOf)],
  );
}

async function checkReady(
  wh: Warehouse,
  mart: MartDefinition,
  status: ReadonlyMap<string, string>,
  upstream: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const failed = mart.dependsOn.filter((d) => status.has(d) && status.get(d) !== 'succeeded');
  if (failed.length > 0) {
    throw new JobError(
      'mart_dependency',
      `mart ${mart.name} not built: it needs ${failed.join(', ')}, which failed in this run`,
    );
  }
  const missing: string[] = [];
  for (const input of mart.inputs) {
    const [schema, table] = input.split('.') as [string, string];
    const exists = input.startsWith('marts.')
      ? await wh.tableExists(schema, table)
      : upstream.has(input);
    if (!exists) missing.push(input);
  }
  if (missing.length > 0) {
    throw new JobError(
      'mart_input_missing',
      `mart ${mart.name} not built: ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (built by the transform, identity and profiles steps; did they run?)`,
    );
  }
}
