import type { CampaignSettings, SegmentRule } from '../../foundation/config-types.ts';
import type { Counts } from '../../foundation/step.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { MARTS, type MartDefinition } from './marts/mart-catalog.ts';
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
 * dependency failed fails saying so; the others still run.
 */
export async function buildMarts(
  wh: Warehouse,
  opts: MartsOptions,
  unit: UnitRunner = throwingUnit,
): Promise<Map<string, string>> {
  await writeSourceTables(wh, opts.sourceTables);
  const asOf = opts.asOf ?? (await businessAsOf(wh));
  await recordAsOf(wh, opts.runId, asOf);
  const env = {
    wh,
    runId: opts.runId,
    asOf,
    complaintDays: opts.complaintDays,
    segments: opts.segments,
    campaigns: opts.campaigns,
  };
  const status = new Map<string, string>();
  for (const mart of MARTS.filter((m) => opts.only === undefined || opts.only.includes(m.name))) {
    const r = await unit(mart.name, async () => {
      await checkReady(wh, mart, status);
      const rows = await mart.build(env);
      return { rowsIn: null, rowsOut: rows, rowsRejected: null };
    });
    status.set(mart.name, r.status);
  }
  // Descriptions for BI tools and \d (COMMENT ON every mart table and column).
  await commentMarts(wh);
  return status;
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
    if (!(await wh.tableExists(schema, table))) missing.push(input);
  }
  if (missing.length > 0) {
    throw new JobError(
      'mart_input_missing',
      `mart ${mart.name} not built: ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (built by the transform, identity and profiles steps; did they run?)`,
    );
  }
}
