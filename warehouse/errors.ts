import { CdwError } from '../foundation/errors.ts';

/** The codes of profiles and the access paths (server users, shell). */
export const WAREHOUSE_ERROR_CODES = [
  'config_invalid',
  'access_denied',
  'invalid_grant',
  'invalid_role',
  'invalid_user',
  'profiles_input_missing',
  'weak_password',
] as const;
export type WarehouseAccessErrorCode = (typeof WAREHOUSE_ERROR_CODES)[number];

/** An error of this folder: a code from WAREHOUSE_ERROR_CODES, a message without row values. */
export class WarehouseAccessError extends CdwError<WarehouseAccessErrorCode> {
  constructor(
    code: WarehouseAccessErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'WarehouseAccessError';
  }
}
