import type { StepResult } from '../../foundation/ledger.ts';
import type { PipelineStep, StepContext } from '../../foundation/step.ts';
import { buildCustomers } from './build-customers.ts';
import { buildFact, FACTS, prepareLookups } from './build-facts.ts';
import { createPublicViews } from './public-views.ts';
import { resolveSurvivorship } from './survivorship.ts';

export interface ProfilesRunOptions {
  /** The run time versions open at when no source change time is known (default: now). */
  readonly now?: Date;
}

/**
 * Runs the profiles step: unit `customers` (golden records, SCD2 history, lineage), one unit per
 * fact table, unit `public_views`. Each unit is its own transaction and its own row in
 * meta.run_steps; a failed unit does not stop the others.
 */
export async function runProfiles(
  ctx: StepContext,
  opts: ProfilesRunOptions = {},
): Promise<StepResult[]> {
  const { config, wh, runId, logger } = ctx;
  const now = opts.now ?? new Date();
  const rules = resolveSurvivorship(config.profiles.survivorship);
  const results: StepResult[] = [];

  results.push(
    await ctx.unit('customers', async () => {
      const r = await buildCustomers(wh, {
        runId,
        now,
        rules,
        sourcePriority: config.profiles.sourcePriority,
        policy: {
          maxShrinkShare: config.profiles.maxShrinkShare,
          allowShrink: config.profiles.allowShrink,
        },
        logger,
        fullRefresh: ctx.fullRefresh === true,
      });
      const v = r.versions;
      logger.info(
        `profiles: ${r.customers} customers; versions new ${v.new}, changed ${v.change}, late ${v.late_change}, restored ${v.restored}, deleted ${v.deleted}, merged ${v.merged}; held ${r.heldCustomers}`,
      );
      if (r.linkedRecords < r.partyRecords)
        logger.warn(
          `profiles: ${r.partyRecords - r.linkedRecords} party records have no customer_id in core.customer_xref`,
        );
      return {
        rowsIn: r.partyRecords,
        rowsOut: r.linkedRecords,
        rowsRejected: r.partyRecords - r.linkedRecords,
        // customers whose golden record, history and lineage were built tonight
        touched: { count: r.touchedCustomers, what: 'customers' },
        notes: [
          r.why === undefined
            ? `incremental: ${r.touchedCustomers} customers rebuilt`
            : `rebuilt whole: ${r.why}`,
        ],
      };
    }),
  );

  let lookups: Promise<void> | undefined;
  for (const spec of FACTS) {
    results.push(
      await ctx.unit(spec.table, async () => {
        lookups ??= prepareLookups(wh);
        await lookups;
        const f = await buildFact(wh, spec, runId, logger, { fullRefresh: ctx.fullRefresh });
        logger.info(
          `profiles: core.${spec.table} ${f.rowsOut} rows (${f.resolved} resolved, ${f.unresolved} without a customer${f.notFact > 0 ? `, ${f.notFact} hits that are no page views left out` : ''})`,
        );
        const how =
          f.rebuiltRows !== undefined
            ? [`incremental: ${f.rebuiltRows} rows rebuilt`]
            : f.why !== undefined
              ? [`rebuilt whole: ${f.why}`]
              : [];
        // fact rows rebuilt tonight: those in scope, or every staging row when rebuilt whole
        const touched =
          spec.changes === undefined
            ? undefined
            : { count: f.rebuiltRows ?? f.rowsIn, what: 'rows' };
        return { rowsIn: f.rowsIn, rowsOut: f.rowsOut, rowsRejected: 0, touched, notes: how };
      }),
    );
  }

  results.push(
    await ctx.unit('public_views', async () => {
      await createPublicViews(wh, logger);
      return { rowsIn: null, rowsOut: null, rowsRejected: null };
    }),
  );
  return results;
}

/** Pipeline step "profiles": golden records, SCD2 history, facts and public views in core.*. */
export const profilesStep: PipelineStep = {
  name: 'profiles',
  description: 'golden records, SCD2 history, facts joined to customers, public views',
  run: (ctx) => runProfiles(ctx),
};
