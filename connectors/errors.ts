import { CdwError } from '../foundation/errors.ts';

/** The codes connectors throw besides `SourceError` (foundation). */
export const CONNECTOR_ERROR_CODES = [
  'aborted',
  'landing_failed',
  'schema_changed',
  'bad_file',
] as const;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/** An error of this folder: a code from CONNECTOR_ERROR_CODES, a message without row values. */
export class ConnectorError extends CdwError<ConnectorErrorCode> {
  constructor(
    code: ConnectorErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'ConnectorError';
  }
}
