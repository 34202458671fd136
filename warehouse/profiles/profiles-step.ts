import type { PipelineStep } from '../../jobs/step.ts';

/** Pipeline step "profiles": golden records, SCD2 history and facts in core.*. Not built yet — recorded as skipped, never faked. */
export const profilesStep: PipelineStep = {
  name: 'profiles',
  description: 'golden records, SCD2 history and facts in core.*',
  notBuilt: 'not built yet (customer profiles)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
