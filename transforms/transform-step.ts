import type { PipelineStep } from '../jobs/step.ts';

/** Pipeline step "transform": standardise raw rows into staging.*. Not built yet — recorded as skipped, never faked. */
export const transformStep: PipelineStep = {
  name: 'transform',
  description: 'standardise raw rows into staging.*',
  notBuilt: 'not built yet (transforms)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
