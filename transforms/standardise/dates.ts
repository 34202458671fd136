import { DateTime } from 'luxon';
import { dateProblem, isoDate, type YearRange } from './date-parts.ts';
import { readFields, readWithFormats, timeProblem, type ReaderOptions } from './date-reader.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ANY_YEAR: YearRange = { minYear: 0, maxYear: 9999 };

/** How to read dates from one source. */
export interface DateOptions extends ReaderOptions {
  /** IANA zone of times written without an offset, and of epoch values read as dates. Default UTC. */
  zone?: string;
  /** Earliest accepted year. Default 1900. */
  minYear?: number;
  /** Latest accepted year. Default 100 years after `now`. */
  maxYear?: number;
  /** Apply {@link isPlausibleBirthDate}: reject future dates and ages over `maxAgeYears`. */
  birthDate?: boolean;
  /** With `birthDate`, how many days into the future still pass (clock skew, expected births). Default 0. */
  horizonDays?: number;
  /** With `birthDate`, the oldest accepted age. Default 120. */
  maxAgeYears?: number;
  /** Reference time for year bounds and birth-date checks. Default: the current time. */
  now?: Date;
}

/**
 * A parsed value or why not. `reason` never contains the input text
 * (it may be personal data): 'empty', 'unparseable date',
 * 'impossible date: day 30 out of range for month 2',
 * 'year out of range: before 1900', 'implausible birth date: in the future'…
 */
export interface ParseResult {
  value: string | null;
  reason: string | null;
}

function rangeOf(opts: DateOptions, now: Date): YearRange {
  return { minYear: opts.minYear ?? 1900, maxYear: opts.maxYear ?? now.getUTCFullYear() + 100 };
}

function zoned(epochMs: number, zone: string): DateTime {
  const dt = DateTime.fromMillis(epochMs, { zone });
  if (!dt.isValid) throw new RangeError('unsupported time zone in date options');
  return dt;
}

/**
 * Why an ISO date is not a plausible birth date, or null when it is: not
 * after `now` + `horizonDays`, and at most `maxAgeYears` (120) years ago.
 */
function birthDateProblem(iso: string, opts: DateOptions, now: Date): string | null {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (ms > now.getTime() + (opts.horizonDays ?? 0) * DAY_MS)
    return 'implausible birth date: in the future';
  const maxAge = opts.maxAgeYears ?? 120;
  const oldest = Date.UTC(now.getUTCFullYear() - maxAge, now.getUTCMonth(), now.getUTCDate());
  if (ms < oldest) return `implausible birth date: more than ${maxAge} years ago`;
  return null;
}

/**
 * Parses a calendar date to YYYY-MM-DD. Reads ISO dates (a time or offset
 * after them is ignored: the date is taken as written), 20240304,
 * 03/04/2024 (month first unless `dayFirst`), 04.03.2024 (always day
 * first), 4 Mar 2024, March 4, 2024, Russian month names (4 марта 2024 г.),
 * epoch seconds or milliseconds (as a date in `zone`), and the source's own
 * luxon `formats`, which are tried first.
 */
export function parseDate(raw: string | null | undefined, opts: DateOptions = {}): ParseResult {
  const text = raw?.trim() ?? '';
  if (text.length === 0) return { value: null, reason: 'empty' };
  const now = opts.now ?? new Date();
  const zone = opts.zone ?? 'UTC';
  const range = rangeOf(opts, now);
  let year: number;
  let month: number;
  let day: number;
  const custom = readWithFormats(text, opts, zone);
  if (typeof custom === 'string') return { value: null, reason: custom };
  if (custom !== null) {
    ({ year, month, day } = custom);
  } else {
    const fields = readFields(text, opts, now.getUTCFullYear());
    if (fields === null) return { value: null, reason: 'unparseable date' };
    if (typeof fields === 'number') {
      ({ year, month, day } = zoned(fields, zone));
    } else {
      ({ year, month, day } = fields);
    }
  }
  const problem = dateProblem(year, month, day, range);
  if (problem !== null) return { value: null, reason: problem };
  const value = isoDate(year, month, day);
  if (opts.birthDate === true) {
    const birthProblem = birthDateProblem(value, opts, now);
    if (birthProblem !== null) return { value: null, reason: birthProblem };
  }
  return { value, reason: null };
}

/**
 * Parses an instant to an ISO UTC timestamp with milliseconds
 * (2024-03-04T09:15:00.000Z). Accepts what {@link parseDate} accepts plus
 * a time of day (24-hour or am/pm, seconds and fractions optional) and an
 * offset (Z, UTC, +03:00, +0300). Text without an offset is read in `zone`
 * (default UTC); a date alone is midnight there; epoch values are instants.
 */
export function parseTimestamp(
  raw: string | null | undefined,
  opts: DateOptions = {},
): ParseResult {
  const text = raw?.trim() ?? '';
  if (text.length === 0) return { value: null, reason: 'empty' };
  const now = opts.now ?? new Date();
  const zone = opts.zone ?? 'UTC';
  const range = rangeOf(opts, now);
  const custom = readWithFormats(text, opts, zone);
  if (typeof custom === 'string') return { value: null, reason: custom };
  let epochMs: number;
  if (custom !== null) {
    const problem = dateProblem(custom.year, custom.month, custom.day, range);
    if (problem !== null) return { value: null, reason: problem };
    epochMs = custom.toMillis();
  } else {
    const fields = readFields(text, opts, now.getUTCFullYear());
    if (fields === null) return { value: null, reason: 'unparseable timestamp' };
    if (typeof fields === 'number') {
      epochMs = fields;
      const year = new Date(epochMs).getUTCFullYear();
      if (year < range.minYear)
        return { value: null, reason: `year out of range: before ${range.minYear}` };
      if (year > range.maxYear)
        return { value: null, reason: `year out of range: after ${range.maxYear}` };
    } else {
      const problem =
        dateProblem(fields.year, fields.month, fields.day, range) ?? timeProblem(fields);
      if (problem !== null) return { value: null, reason: problem };
      const { year, month, day, hour, minute, second, millis } = fields;
      if (fields.offset !== null) {
        epochMs =
          Date.UTC(year, month - 1, day, hour, minute, second, millis) - fields.offset * 60_000;
      } else if (zone === 'UTC') {
        epochMs = Date.UTC(year, month - 1, day, hour, minute, second, millis);
      } else {
        const dt = DateTime.fromObject(
          { year, month, day, hour, minute, second, millisecond: millis },
          { zone },
        );
        if (!dt.isValid) throw new RangeError('unsupported time zone in date options');
        epochMs = dt.toMillis();
      }
    }
  }
  return { value: new Date(epochMs).toISOString(), reason: null };
}

/**
 * Whether an ISO date (YYYY-MM-DD) is a plausible birth date: not after
 * `now` + `horizonDays` (default 0) and at most `maxAgeYears` (default 120)
 * years before `now`. False for null or malformed input.
 */
export function isPlausibleBirthDate(
  iso: string | null | undefined,
  opts: Pick<DateOptions, 'now' | 'horizonDays' | 'maxAgeYears'> = {},
): boolean {
  if (!iso) return false;
  const m = ISO_DATE.exec(iso);
  if (m === null || dateProblem(Number(m[1]), Number(m[2]), Number(m[3]), ANY_YEAR) !== null)
    return false;
  return birthDateProblem(iso, opts, opts.now ?? new Date()) === null;
}
