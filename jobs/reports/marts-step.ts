import type { PipelineStep } from '../step.ts';

/** Pipeline step "marts": customer 360, segments, service and data-quality marts. Not built yet — recorded as skipped, never faked. */
export const martsStep: PipelineStep = {
  name: 'marts',
  description: 'customer 360, segments, service and data-quality marts',
  notBuilt: 'not built yet (reports and marts)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
