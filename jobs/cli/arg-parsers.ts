import { InvalidArgumentError } from 'commander';

/**
 * Parsers of command-line values: a bad value is a usage error (exit 64) naming what was
 * expected, before anything reaches DuckDB or the file system.
 */
export function wholeNumber(min: number, max: number) {
  return (v: string): number => {
    const n = /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isoDate(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return m[0];
  }
  throw new InvalidArgumentError('expected a date like 2026-03-31 (year-month-day)');
}

/** One of the allowed words. */
export function oneOf<T extends string>(what: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v))
      throw new InvalidArgumentError(`${what} must be one of ${allowed.join(', ')}`);
    return v as T;
  };
}
