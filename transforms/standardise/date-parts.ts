/** Month numbers by lower-case name or abbreviation, English and Russian (any case form). */
export const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1],
  ['january', 1],
  ['feb', 2],
  ['february', 2],
  ['mar', 3],
  ['march', 3],
  ['apr', 4],
  ['april', 4],
  ['may', 5],
  ['jun', 6],
  ['june', 6],
  ['jul', 7],
  ['july', 7],
  ['aug', 8],
  ['august', 8],
  ['sep', 9],
  ['sept', 9],
  ['september', 9],
  ['oct', 10],
  ['october', 10],
  ['nov', 11],
  ['november', 11],
  ['dec', 12],
  ['december', 12],
  ['январь', 1],
  ['января', 1],
  ['янв', 1],
  ['февраль', 2],
  ['февраля', 2],
  ['фев', 2],
  ['февр', 2],
  ['март', 3],
  ['марта', 3],
  ['мар', 3],
  ['апрель', 4],
  ['апреля', 4],
  ['апр', 4],
  ['май', 5],
  ['мая', 5],
  ['июнь', 6],
  ['июня', 6],
  ['июн', 6],
  ['июль', 7],
  ['июля', 7],
  ['июл', 7],
  ['август', 8],
  ['августа', 8],
  ['авг', 8],
  ['сентябрь', 9],
  ['сентября', 9],
  ['сен', 9],
  ['сент', 9],
  ['октябрь', 10],
  ['октября', 10],
  ['окт', 10],
  ['ноябрь', 11],
  ['ноября', 11],
  ['ноя', 11],
  ['нояб', 11],
  ['декабрь', 12],
  ['декабря', 12],
  ['дек', 12],
]);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Bounds a parsed year must fall in; outside them the value is rejected. */
export interface YearRange {
  minYear: number;
  maxYear: number;
}

/**
 * Why a year/month/day triple is not a date in range, or null when it is.
 * The reason names the failing component but never the value as written.
 */
export function dateProblem(
  year: number,
  month: number,
  day: number,
  range: YearRange,
): string | null {
  if (month < 1 || month > 12) return `impossible date: month ${month} out of range`;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days) return `impossible date: day ${day} out of range for month ${month}`;
  if (year < range.minYear) return `year out of range: before ${range.minYear}`;
  if (year > range.maxYear) return `year out of range: after ${range.maxYear}`;
  return null;
}

/** Expands a two-digit year: up to this year's two digits → 20yy, above → 19yy. */
export function expandYear(text: string, currentYear: number): number {
  const year = Number(text);
  if (text.length !== 2) return year;
  return year <= currentYear % 100 ? 2000 + year : 1900 + year;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD for a valid year, month and day. */
export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
