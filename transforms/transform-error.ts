import { CdwError } from '../foundation/errors.ts';

/** A staging model or check could not do its work; the message names the source table or check. */
export class TransformError extends CdwError {
  constructor(
    code: 'transform_error' | 'transform_balance' | 'dq_failed',
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'TransformError';
  }
}
