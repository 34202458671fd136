import type { PipelineStep } from '../foundation/step.ts';
import { resolveIdentities } from './resolve-identities.ts';
import { identitySettings } from './settings.ts';
import { identityInputVersion, mustRunReason, recordInputVersion } from './input-version.ts';

/**
 * Pipeline step "identity": matches the party records in staging and assigns persistent
 * customer ids (core.customer_xref, identity.id_history, core.dim_household).
 */
export const identityStep: PipelineStep = {
  name: 'identity',
  description: 'match records and assign persistent customer ids',
  run: async (ctx) => {
    const settings = identitySettings(ctx.config.identity);
    const version = await identityInputVersion(ctx.wh, settings);
    const why = await mustRunReason(ctx.wh, version, settings, ctx.fullRefresh === true);
    if (why === undefined) {
      const records = Number(await ctx.wh.scalar('SELECT count(*) FROM staging.party_records'));
      ctx.logger.info(
        'identity: nothing it reads changed since its last run (records, interactions, overrides, settings, code); kept as it is',
      );
      return {
        rowsIn: records,
        rowsOut: records,
        rowsRejected: 0,
        touched: { count: 0, what: 'records' },
      };
    }
    const r = await resolveIdentities(ctx.wh, settings, {
      runId: ctx.runId,
      logger: ctx.logger,
      progress: ctx.progress,
      fullRefresh: ctx.fullRefresh === true,
    });
    await recordInputVersion(ctx.wh, version, ctx.runId);
    return {
      rowsIn: r.records,
      rowsOut: r.records,
      rowsRejected: 0,
      // the records whose pairs were compared again; the customers they moved are in the notes
      touched: { count: r.changedRecords, what: 'records' },
    };
  },
};
