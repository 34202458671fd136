import { CdwError } from '../foundation/errors.ts';

/** The codes of identity resolution and its tools (explain, overrides, show). */
export const IDENTITY_ERROR_CODES = [
  'bad_request',
  'config_invalid',
  'customer_not_found',
  'identity_model',
  'not_ready',
  'record_not_found',
] as const;
export type IdentityErrorCode = (typeof IDENTITY_ERROR_CODES)[number];

/** An error of this folder: a code from IDENTITY_ERROR_CODES, a message without row values. */
export class IdentityError extends CdwError<IdentityErrorCode> {
  constructor(
    code: IdentityErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'IdentityError';
  }
}
