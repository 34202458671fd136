import { CdwError } from '../foundation/errors.ts';

/** The codes of the demo generator. */
export const DEMO_ERROR_CODES = [
  'demo_dir_not_empty',
  'demo_change_night_needs_files',
] as const;
export type DemoErrorCode = (typeof DEMO_ERROR_CODES)[number];

/** An error of this folder: a code from DEMO_ERROR_CODES, a message without row values. */
export class DemoError extends CdwError<DemoErrorCode> {
  constructor(
    code: DemoErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'DemoError';
  }
}
