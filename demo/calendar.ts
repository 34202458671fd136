/**
 * Dates of the demo company, as whole days and seconds since 1970-01-01 (wall-clock time of
 * the source that writes them). Nothing reads the real clock: night 1 is ANCHOR_DATE and
 * night n is n-1 days later.
 */

export const ANCHOR_DATE = '2026-11-01';
const ANCHOR_DAY = daysFromCivil(2026, 11, 1);
export const DAY_SECONDS = 86_400;

/** Day number (days since 1970-01-01) of night `n` (1-based). */
export function nightDay(n: number): number {
  return ANCHOR_DAY + n - 1;
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian; month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const p2 = (n: number) => TWO[n]!;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Formatting runs for millions of rows; the few thousand distinct days are formatted once.
const ISO_DAYS = new Map<number, string>();
const RU_DAYS = new Map<number, string>();

/** 2026-11-01 */
export function isoDate(days: number): string {
  let s = ISO_DAYS.get(days);
  if (s === undefined) {
    const c = civilFromDays(days);
    s = `${c.y}-${p2(c.m)}-${p2(c.d)}`;
    ISO_DAYS.set(days, s);
  }
  return s;
}

/** 01.11.2026 */
export function ruDate(days: number): string {
  let s = RU_DAYS.get(days);
  if (s === undefined) {
    const c = civilFromDays(days);
    s = `${p2(c.d)}.${p2(c.m)}.${c.y}`;
    RU_DAYS.set(days, s);
  }
  return s;
}

/** hh:mm:ss of a second of the day. */
function clock(rest: number): string {
  return `${p2(Math.floor(rest / 3600))}:${p2(Math.floor((rest % 3600) / 60))}:${p2(rest % 60)}`;
}

function dayOf(sec: number): number {
  return Math.floor(sec / DAY_SECONDS);
}

/** 2026-11-01 09:05:00 */
export function isoTs(sec: number): string {
  const days = dayOf(sec);
  return `${isoDate(days)} ${clock(sec - days * DAY_SECONDS)}`;
}

/** 2026-11-01T09:05:00 (with `suffix`, e.g. "Z") */
export function isoT(sec: number, suffix = ''): string {
  const days = dayOf(sec);
  return `${isoDate(days)}T${clock(sec - days * DAY_SECONDS)}${suffix}`;
}

/** 01.11.2026 09:05:00 */
export function ruTs(sec: number): string {
  const days = dayOf(sec);
  return `${ruDate(days)} ${clock(sec - days * DAY_SECONDS)}`;
}

/** 11/01/2026 09:05:00 AM */
export function usTs(sec: number): string {
  const days = dayOf(sec);
  const c = civilFromDays(days);
  const rest = sec - days * DAY_SECONDS;
  const h = Math.floor(rest / 3600);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${p2(c.m)}/${p2(c.d)}/${c.y} ${p2(h12)}:${p2(Math.floor((rest % 3600) / 60))}:${p2(rest % 60)} ${h < 12 ? 'AM' : 'PM'}`;
}

/** 01/Nov/2026:09:05:00 +0000 (Common Log Format) */
export function clfTs(sec: number): string {
  const days = dayOf(sec);
  const c = civilFromDays(days);
  return `${p2(c.d)}/${MONTHS[c.m - 1]}/${c.y}:${clock(sec - days * DAY_SECONDS)} +0000`;
}

/** 202611 — a month key for invoice numbers. */
export function yyyymm(days: number): string {
  const c = civilFromDays(days);
  return `${c.y}${p2(c.m)}`;
}

/** 20261101 */
export function yyyymmdd(days: number): string {
  const c = civilFromDays(days);
  return `${c.y}${p2(c.m)}${p2(c.d)}`;
}

const ZONES = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock second in `timeZone` of a UTC second: for a source that writes local time (the
 * contact centre's switch) an event timed in UTC elsewhere (a campaign's send). Uses the time
 * zone rules of the runtime, never the clock.
 */
export function wallClockIn(sec: number, timeZone: string): number {
  let f = ZONES.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    ZONES.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(sec * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((x) => x.type === type)?.value ?? 0);
  return daysFromCivil(get('year'), get('month'), get('day')) * DAY_SECONDS + get('hour') * 3600 + get('minute') * 60 + get('second');
}
