import type { PipelineStep } from '../jobs/step.ts';

/** Pipeline step "extract": land every source table in raw.*. Not built yet — recorded as skipped, never faked. */
export const extractStep: PipelineStep = {
  name: 'extract',
  description: 'land every source table in raw.*',
  notBuilt: 'not built yet (source connectors)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
