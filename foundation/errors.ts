/**
 * The error family of cdw. Every error a user can see has a `code`, says whether trying again
 * may help (`retryable`), and keeps the native error as `cause`. Messages name the source,
 * table and step — never row values or query parameters, which may be customer data.
 */
export class CdwError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retryable: boolean;

  /**
   * Each folder throws its own subclass, whose `Code` is that folder's list of codes
   * (`identity/errors.ts`, `jobs/errors.ts`, …); only this folder constructs `CdwError` itself.
   */
  constructor(code: Code, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CdwError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}

/** One mistake in the config, located by its YAML path (and line when known). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The codes of the foundation's errors. */
export const FOUNDATION_ERROR_CODES = [
  'config_invalid',
  'warehouse_locked',
  'warehouse_error',
  'source_error',
  'internal',
] as const;
export type FoundationErrorCode = (typeof FOUNDATION_ERROR_CODES)[number];

export class ConfigError extends CdwError<FoundationErrorCode> {
  readonly issues: readonly ConfigIssue[];
  readonly file: string;

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super('config_invalid', formatIssues(file, issues));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  const head = `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the config`;
  const lines = issues.map((i) => {
    const at =
      i.line === undefined
        ? ''
        : ` (line ${i.line}${i.column === undefined ? '' : `, column ${i.column}`})`;
    return `  ${i.path || '(top level)'}: ${i.message}${at}`;
  });
  return [head, ...lines].join('\n');
}

/** A second run, or a server, holds the warehouse. */
export class LockError extends CdwError<FoundationErrorCode> {
  constructor(message: string) {
    super('warehouse_locked', message);
    this.name = 'LockError';
  }
}

/** The warehouse file cannot be used as it is (newer version, corrupt, unreadable). */
export class WarehouseError extends CdwError<FoundationErrorCode> {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('warehouse_error', message, opts);
    this.name = 'WarehouseError';
  }
}

/** A source could not be reached or read. */
export class SourceError extends CdwError<FoundationErrorCode> {
  readonly source: string;

  constructor(
    source: string,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super('source_error', message, opts);
    this.name = 'SourceError';
    this.source = source;
  }
}

/**
 * A broken invariant of cdw's own code (a template hole without a value, an unknown kind that
 * validation should have refused): a bug to report, never caused by the user's data.
 */
export class InternalError extends CdwError<FoundationErrorCode> {
  constructor(message: string) {
    super('internal', message);
    this.name = 'InternalError';
  }
}

/** Message of any thrown value, for places that must report without a stack trace. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
