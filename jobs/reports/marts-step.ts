import type { PipelineStep } from '../../foundation/step.ts';
import type { StepResult } from '../../foundation/ledger.ts';
import { buildMarts } from './build-marts.ts';
import { sourceTablesFromConfig } from './marts/source-tables.ts';
import { MARTS } from './marts/mart-catalog.ts';
import { businessAsOf, businessDate } from './business-date.ts';

/**
 * Pipeline step "marts": customer_360, customer_segments, segment_members, cross_sell,
 * service_daily and data_quality, one unit each in meta.run_steps (jobs/reports/CONTEXT.md).
 */
export const martsStep: PipelineStep = {
  name: 'marts',
  description: 'customer 360, segments, cross-sell, service and data-quality marts',
  async run(ctx) {
    const results: StepResult[] = [];
    ctx.progress.start('marts', MARTS.length);
    const asOf = ctx.asOf ?? (await businessAsOf(ctx.wh));
    ctx.logger.info(
      `marts as of ${asOf.toISOString()} (business date ${businessDate(asOf)}, ${ctx.asOf ? 'given with --as-of' : 'the latest event in the data'})`,
    );
    await buildMarts(
      ctx.wh,
      {
        runId: ctx.runId,
        asOf,
        complaintDays: ctx.config.reports.complaintDays,
        segments: ctx.config.reports.segments,
        campaigns: ctx.config.campaigns,
        sourceTables: sourceTablesFromConfig(ctx.config.sources),
        fullRefresh: ctx.fullRefresh ?? false,
        log: (m) => ctx.logger.debug(m),
      },
      async (name, fn) => {
        const r = await ctx.unit(name, fn);
        results.push(r);
        ctx.progress.tick(1);
        return r;
      },
    );
    ctx.progress.done(`${results.length} marts`);
    return results;
  },
};
