import type { PipelineStep } from '../foundation/step.ts';
import { resolveIdentities } from './resolve-identities.ts';
import { identitySettings } from './settings.ts';

/**
 * Pipeline step "identity": matches the party records in staging and assigns persistent
 * customer ids (core.customer_xref, identity.id_history, core.dim_household).
 */
export const identityStep: PipelineStep = {
  name: 'identity',
  description: 'match records and assign persistent customer ids',
  run: async (ctx) => {
    const settings = identitySettings(ctx.config.identity);
    const r = await resolveIdentities(ctx.wh, settings, {
      runId: ctx.runId,
      logger: ctx.logger,
      progress: ctx.progress,
      fullRefresh: ctx.fullRefresh === true,
    });
    return {
      rowsIn: r.records,
      rowsOut: r.records,
      rowsRejected: 0,
      // the records whose pairs were compared again; the customers they moved are in the notes
      touched: { count: r.changedRecords, what: 'records' },
    };
  },
};
