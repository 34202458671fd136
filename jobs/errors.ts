import { CdwError } from '../foundation/errors.ts';

/** The codes of the CLI, the pipeline, reports and the serve service. */
export const JOB_ERROR_CODES = [
  'campaign_unknown',
  'customer_not_found',
  'erasure_not_found',
  'invalid_role',
  'mart_dependency',
  'mart_input_missing',
  'no_profiles',
  'no_warehouse',
  'not_ready',
  'prospects_country',
  'prospects_file',
  'prospects_not_ready',
  'report_not_built',
  'run_in_progress',
  'segment_check',
  'segment_invalid',
  'segment_unknown',
  'segments_not_built',
  'server_query',
  'server_refused',
  'server_unreachable',
  'usage',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

/** An error of this folder: a code from JOB_ERROR_CODES, a message without row values. */
export class JobError extends CdwError<JobErrorCode> {
  constructor(
    code: JobErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.name = 'JobError';
  }
}
