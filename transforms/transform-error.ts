import { CdwError } from '../foundation/errors.ts';

/** The codes of the transform step. */
export const TRANSFORM_ERROR_CODES = ['transform_error', 'transform_balance', 'dq_failed'] as const;
export type TransformErrorCode = (typeof TRANSFORM_ERROR_CODES)[number];

/** A staging model or check could not do its work; the message names the source table or check. */
export class TransformError extends CdwError<TransformErrorCode> {
  constructor(code: TransformErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(code, message, opts);
    this.name = 'TransformError';
  }
}
