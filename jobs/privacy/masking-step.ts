import type { PipelineStep } from '../../foundation/step.ts';
import { refreshMaskedViews } from '../../warehouse/privacy/masked-views.ts';

/**
 * Pipeline step "masking", after the marts: the masked views of every relation of `public` and
 * `marts` (warehouse/privacy/masked-views.ts), so a mart or view added tonight is masked for
 * analysts without the `pii` grant from tonight on.
 */
export const maskingStep: PipelineStep = {
  name: 'masking',
  description: 'masked views of public and marts for analysts without the pii grant',
  async run(ctx) {
    const n = await refreshMaskedViews(ctx.wh);
    return { rowsIn: null, rowsOut: n, rowsRejected: null };
  },
};
