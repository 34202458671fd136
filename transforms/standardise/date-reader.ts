import { DateTime } from 'luxon';
import { dateProblem, expandYear, MONTHS } from './date-parts.ts';

/** What the reader needs to know about a source's dates. */
export interface ReaderOptions {
  /** Luxon formats tried first, in order ("dd/MM/yyyy", "d MMMM yyyy"). */
  formats?: readonly string[];
  /** Locale for month names in `formats` (e.g. 'ru'); built-in patterns know English and Russian. */
  locale?: string;
  /** Read 03/04/2024 and 03-04-2024 as 3 April. Default false (US: March 4). Dots are always day-first. */
  dayFirst?: boolean;
  /** Read bare 5-digit numbers as Excel serial days. Default false. */
  excelSerials?: boolean;
}

/** Date and time fields as written, not yet range-checked. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Minutes east of UTC written in the text; null when the text has none. */
  offset: number | null;
}

const TIME = String.raw`(?:[T\s,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?`;
const WEEKDAY = String.raw`(?:[a-zа-я]+\.?,?\s+)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`, 'i');
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?$/;
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})${TIME}$`, 'i');
const DAY_MONTH_NAME = new RegExp(
  String.raw`^${WEEKDAY}(\d{1,2})(?:st|nd|rd|th)?[\s\-.]+([a-zа-яё]+)\.?[\s\-.,]+(\d{4}|\d{2})(?:\s*(?:г|года?)\.?)?${TIME}$`,
  'iu',
);
const MONTH_NAME_DAY = new RegExp(
  String.raw`^${WEEKDAY}([a-zа-яё]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`,
  'iu',
);
const EPOCH_SECONDS = /^\d{9,10}(?:\.\d+)?$/;
const EPOCH_MILLIS = /^\d{12,13}$/;
const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

// Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function parseOffset(text: string | undefined): number | null {
  if (text === undefined) return null;
  const upper = text.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return 0;
  const m = OFFSET.exec(text);
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function withTime(year: number, month: number, day: number, t: (string | undefined)[]): Fields {
  let hour = t[0] === undefined ? 0 : Number(t[0]);
  const meridiem = t[4]?.[0]?.toLowerCase();
  if (meridiem === 'p' && hour < 12) hour += 12;
  if (meridiem === 'a' && hour === 12) hour = 0;
  const fraction = t[3];
  return {
    year,
    month,
    day,
    hour,
    minute: t[1] === undefined ? 0 : Number(t[1]),
    second: t[2] === undefined ? 0 : Number(t[2]),
    millis: fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0')),
    offset: parseOffset(t[5]),
  };
}

/** Reads the built-in patterns; epoch values come back as milliseconds, null when nothing matches. */
export function readFields(
  text: string,
  opts: ReaderOptions,
  currentYear: number,
): Fields | number | null {
  let m = ISO.exec(text);
  if (m !== null) return withTime(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4));
  m = COMPACT.exec(text);
  if (m !== null) return withTime(Number(m[1]), Number(m[2]), Number(m[3]), [m[4], m[5], m[6]]);
  m = NUMERIC.exec(text);
  if (m !== null) {
    const dayFirst = m[2] === '.' || opts.dayFirst === true;
    const a = Number(m[1]);
    const b = Number(m[3]);
    return withTime(expandYear(m[4]!, currentYear), dayFirst ? b : a, dayFirst ? a : b, m.slice(5));
  }
  m = DAY_MONTH_NAME.exec(text);
  if (m !== null) {
    const month = MONTHS.get(m[2]!.toLowerCase());
    if (month === undefined) return null;
    return withTime(expandYear(m[3]!, currentYear), month, Number(m[1]), m.slice(4));
  }
  m = MONTH_NAME_DAY.exec(text);
  if (m !== null) {
    const month = MONTHS.get(m[1]!.toLowerCase());
    if (month === undefined) return null;
    return withTime(Number(m[3]), month, Number(m[2]), m.slice(4));
  }
  if (EPOCH_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (EPOCH_MILLIS.test(text)) return Number(text);
  if (opts.excelSerials === true && EXCEL_SERIAL.test(text))
    return EXCEL_EPOCH_MS + Math.round(Number(text) * DAY_MS);
  return null;
}

/** Tries the source's own luxon formats; a match that is out of range is reported, not skipped. */
export function readWithFormats(
  text: string,
  opts: ReaderOptions,
  zone: string,
): DateTime | string | null {
  for (const format of opts.formats ?? []) {
    const options = { zone, locale: opts.locale ?? 'en' };
    const dt = DateTime.fromFormat(text, format, options);
    if (dt.isValid) return dt;
    if (dt.invalidReason === 'unsupported zone')
      throw new RangeError('unsupported time zone in date options');
    if (dt.invalidReason === 'unit out of range') {
      const r = DateTime.fromFormatExplain(text, format, options).result as Partial<
        Record<string, number>
      > | null;
      const problem = r
        ? dateProblem(r.year ?? 2000, r.month ?? 1, r.day ?? 1, { minYear: -1e9, maxYear: 1e9 })
        : null;
      return problem ?? 'impossible time';
    }
  }
  return null;
}

/** Why a time of day is impossible, or null. */
export function timeProblem(f: Fields): string | null {
  if (f.hour > 23) return `impossible time: hour ${f.hour} out of range`;
  if (f.minute > 59) return `impossible time: minute ${f.minute} out of range`;
  if (f.second > 59) return `impossible time: second ${f.second} out of range`;
  return null;
}
