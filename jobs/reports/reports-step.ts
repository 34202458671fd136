import type { PipelineStep } from '../step.ts';

/** Pipeline step "reports": write report files and the HTML overview. Not built yet — recorded as skipped, never faked. */
export const reportsStep: PipelineStep = {
  name: 'reports',
  description: 'write report files and the HTML overview',
  notBuilt: 'not built yet (reports and marts)',
  run: async () => ({ rowsIn: null, rowsOut: null, rowsRejected: null }),
};
