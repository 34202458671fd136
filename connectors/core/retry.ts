import { CdwError } from '../../foundation/errors.ts';

export interface RetryOptions {
  /** Further attempts after the first. */
  readonly retries: number;
  /** Delay before the first retry; doubles each time (capped at 30 s), with jitter. */
  readonly delayMs: number;
  readonly signal?: AbortSignal;
  /** Called before each retry with the attempt number (1-based) and the error. */
  readonly onRetry?: (attempt: number, err: unknown, waitMs: number) => void;
}

/** Whether trying again may help: a `CdwError` says so itself; DuckDB transaction conflicts may clear. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof CdwError) return err.retryable;
  return err instanceof Error && /Transaction conflict|write-write conflict/i.test(err.message);
}

/** Runs `fn`; when it fails with a retryable error, waits with back-off and runs it again. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.retries || !isRetryable(err) || opts.signal?.aborted === true) throw err;
      const base = Math.min(30_000, opts.delayMs * 2 ** attempt);
      const wait = Math.round(base * (0.75 + Math.random() * 0.5));
      opts.onRetry?.(attempt + 1, err, wait);
      await sleep(wait, opts.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
