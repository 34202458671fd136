import type { Logger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildGolden, type RunStep } from './build-golden.ts';
import { historyDiffSql } from './history-diff-sql.ts';
import { deletedHash, historyHash, setChangedGroups, trackedList } from './history-holes.ts';
import {
  checkSourceCounts,
  recordSourceCounts,
  type ShrinkPolicy,
  type SourceCount,
  unitName,
} from './shrink-guard.ts';
import { createRunContext, holdCustomers } from './run-context.ts';
import { customerScope, profileStateKey, recordCustomerInputs } from './customer-scope.ts';
import { profilesSql } from './sql-file.ts';
import type { GroupRule } from './survivorship.ts';
import { WarehouseAccessError } from '../errors.ts';

export interface BuildCustomersOptions {
  readonly runId: string;
  /** The run time: versions with no known source change time open here. */
  readonly now: Date;
  readonly rules: readonly GroupRule[];
  readonly sourcePriority: readonly string[];
  readonly policy: ShrinkPolicy;
  readonly logger: Logger;
  /** Rebuild every customer (`cdw run --full-refresh`) instead of those whose inputs changed. */
  readonly fullRefresh?: boolean;
}

/** What one night did to the profiles, as counts (never values). */
export interface BuildCustomersResult {
  readonly partyRecords: number;
  readonly linkedRecords: number;
  readonly customers: number;
  readonly versions: Readonly<
    Record<'new' | 'change' | 'late_change' | 'restored' | 'deleted' | 'merged', number>
  >;
  readonly heldCustomers: number;
  readonly sources: readonly SourceCount[];
  /** Customers rebuilt tonight (their inputs changed, or all of them: see `why`). */
  readonly touchedCustomers: number;
  /** Why every customer was rebuilt; undefined when only the changed ones were. */
  readonly why?: string;
}

/**
 * Builds tonight's golden records and applies them to the SCD2 history, in one transaction:
 * shrink guard → golden records and lineage (in batches) → close merged ids → diff → changes,
 * late changes, deletions → dim_customer, per-source counts. Reads staging.party_records and
 * core.customer_xref (and identity.id_history, core.dim_household when present).
 */
export async function buildCustomers(
  wh: Warehouse,
  opts: BuildCustomersOptions,
): Promise<BuildCustomersResult> {
  for (const [schema, table] of [
    ['staging', 'party_records'],
    ['core', 'customer_xref'],
  ] as const) {
    if (!(await wh.tableExists(schema, table))) {
      throw new WarehouseAccessError(
        'profiles_input_missing',
        `step profiles: ${schema}.${table} does not exist; the transform and identity steps must run first`,
      );
    }
  }
  const hasIdHistory = await wh.tableExists('identity', 'id_history');
  const hasHouseholds = await wh.tableExists('core', 'dim_household');
  const sources = await checkSourceCounts(wh, opts.policy);
  const heldSources = sources.filter((s) => s.held);

  // Statement timings go to the debug log (`cdw run -v`), to see where a slow night went.
  const step: RunStep = async (label, sql, params) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await wh.run(sql, params);
    const cpu = process.cpuUsage(c0);
    opts.logger.debug(
      `profiles: ${label} ${((performance.now() - t0) / 1000).toFixed(2)}s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)}s)`,
    );
  };

  const stateKey = profileStateKey({
    rulesKey: opts.rules.map((r) => `${r.group.name}=${r.label}`).join(';'),
    sourcePriority: opts.sourcePriority,
    withIdHistory: hasIdHistory,
  });

  return wh.transaction(async () => {
    await createRunContext(wh, opts, hasIdHistory, step);
    await holdCustomers(wh, heldSources, step);
    const scope = await customerScope(
      wh,
      { fullRefresh: opts.fullRefresh === true, stateKey, withHouseholds: hasHouseholds },
      step,
    );
    if (scope.customers > 0) await applyScope(wh, opts, hasHouseholds, step);
    else await nothingInScope(wh);
    await recordSourceCounts(wh, opts.runId, opts.now, sources);
    const result = await summarise(wh, sources);
    await noteHeldSources(wh, opts, sources);
    opts.logger.debug('profiles: customers rebuilt; recording what they were built from');
    await recordCustomerInputs(wh, stateKey, step);
    return { ...result, touchedCustomers: scope.customers, why: scope.why };
  });
}

/**
 * The customers in `profiles_scope`: golden records and lineage, merged ids closed, the diff
 * applied to the history (changes, late changes, deletes), their rows of dim_customer and
 * customer_sources.
 */
async function applyScope(
  wh: Warehouse,
  opts: BuildCustomersOptions,
  hasHouseholds: boolean,
  step: RunStep,
): Promise<void> {
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE profiles_prev_seen AS SELECT customer_id, first_seen_at, last_seen_at, lineage_hash FROM core.dim_customer WHERE customer_id IN (SELECT customer_id FROM profiles_scope)',
  );
  await buildGolden(wh, opts.rules, hasHouseholds, step);

  await step('close merged ids', profilesSql('close-merged'));
  await step('diff', historyDiffSql());
  await step('changes', profilesSql('apply-changes', { golden_columns: trackedList('g') }));
  const late = Number(
    await wh.scalar("SELECT count(*) FROM profiles_diff WHERE kind = 'late_change'"),
  );
  if (late > 0) {
    await step(
      'late changes',
      profilesSql('apply-late-changes', {
        set_changed_groups: setChangedGroups(),
        history_hash: historyHash(),
      }),
    );
    await step('join equal versions', profilesSql('coalesce-history'));
  }
  await step('deletes', profilesSql('apply-deletes', { deleted_hash: deletedHash() }));
  await step(
    'dim_customer',
    profilesSql('rebuild-dim-customer', { history_columns: trackedList('h') }),
  );
}

/**
 * No customer's inputs changed (and none is held, unstable or re-clustered): every statement
 * of `applyScope` would read and write nothing, so none runs — a quiet night does not pay for
 * planning the golden record's wide statements. What the summary and the fingerprints read is
 * there, empty.
 */
async function nothingInScope(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE profiles_diff (customer_id BIGINT, kind VARCHAR);
     CREATE OR REPLACE TEMP TABLE profiles_vanished (customer_id BIGINT);
     CREATE OR REPLACE TEMP TABLE profiles_retired (old_id BIGINT, new_id BIGINT, closed_at TIMESTAMPTZ);
     CREATE OR REPLACE TEMP TABLE profiles_unstable (customer_id BIGINT)`,
  );
}

async function summarise(
  wh: Warehouse,
  sources: readonly SourceCount[],
): Promise<Omit<BuildCustomersResult, 'touchedCustomers' | 'why'>> {
  const kinds = await wh.all<{ kind: string; n: number }>(
    'SELECT kind, count(*) AS n FROM profiles_diff GROUP BY kind',
  );
  const k = (name: string) => Number(kinds.find((r) => r.kind === name)?.n ?? 0);
  const counts = await wh.one<{
    party: number;
    linked: number;
    customers: number;
    deleted: number;
    merged: number;
    held: number;
  }>(`
    SELECT (SELECT count(*) FROM staging.party_records) AS party,
           (SELECT count(*) FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid) AS linked,
           (SELECT count(*) FROM core.dim_customer) AS customers,
           (SELECT count(*) FROM profiles_vanished) AS deleted,
           (SELECT count(*) FROM profiles_retired) AS merged,
           (SELECT count(*) FROM profiles_held) AS held`);
  return {
    partyRecords: Number(counts?.party ?? 0),
    linkedRecords: Number(counts?.linked ?? 0),
    customers: Number(counts?.customers ?? 0),
    versions: {
      new: k('new'),
      change: k('change'),
      late_change: k('late_change'),
      restored: k('restored'),
      deleted: Number(counts?.deleted ?? 0),
      merged: Number(counts?.merged ?? 0),
    },
    heldCustomers: Number(counts?.held ?? 0),
    sources,
  };
}

/** A held source is a warning in the log and a failed `profiles_shrink_guard` row in meta.dq_results. */
async function noteHeldSources(
  wh: Warehouse,
  opts: BuildCustomersOptions,
  sources: readonly SourceCount[],
): Promise<void> {
  for (const s of sources.filter((x) => x.shrunk)) {
    const heldFor = Number(
      await wh.scalar(
        'SELECT count(DISTINCT customer_id) FROM profiles_held_by WHERE source = $1 AND source_table IS NOT DISTINCT FROM $2',
        [s.source, s.table],
      ),
    );
    const what = `${s.table === null ? 'source' : 'table'} ${unitName(s)}: ${s.records} party records tonight, ${s.baseline} last accepted`;
    if (!s.held) {
      opts.logger.warn(
        `profiles: ${what}; the shrink is allowed by profiles.allow_shrink, so customers it no longer shows are end-dated`,
      );
      continue;
    }
    const detail = `${what}; end-dating and deletions held for ${heldFor} customers (set profiles.allow_shrink to accept)`;
    opts.logger.warn(`profiles: ${detail}`);
    await wh.run(
      `INSERT INTO meta.dq_results (run_id, check_name, check_kind, target, severity, status, failed_rows, detail)
       VALUES ($1, 'profiles_shrink_guard', 'row_count', $2, 'warn', 'failed', $3, $4)`,
      [opts.runId, unitName(s), heldFor, detail],
    );
  }
}
