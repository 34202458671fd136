/**
 * The error family of cdw. Every error a user can see has a `code`, says whether trying again
 * may help (`retryable`), and keeps the native error as `cause`. Messages name the source,
 * table and step — never row values or query parameters, which may be customer data.
 */
export class CdwError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
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

export class ConfigError extends CdwError {
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
export class LockError extends CdwError {
  constructor(message: string) {
    super('warehouse_locked', message);
    this.name = 'LockError';
  }
}

/** The warehouse file cannot be used as it is (newer version, corrupt, unreadable). */
export class WarehouseError extends CdwError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('warehouse_error', message, opts);
    this.name = 'WarehouseError';
  }
}

/** A source could not be reached or read. */
export class SourceError extends CdwError {
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

/** Message of any thrown value, for places that must report without a stack trace. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
