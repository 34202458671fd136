import type { PipelineStep } from '../jobs/step.ts';

/** Pipeline step "identity": match records and assign persistent customer ids. Not built yet — recorded as skipped, never faked. */
export const identityStep: PipelineStep = {
  name: 'identity',
  description: 'match records and assign persistent customer ids',
  notBuilt: 'not built yet (identity resolution)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
