const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
const LOCAL = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export { TIME_FIELDS } from '../../../connectors/weblog/log-sql.ts';

/**
 * Reads the request time of a log line as an ISO-8601 UTC timestamp: `[10/Oct/2000:13:55:36
 * -0700]` (Apache %t, nginx $time_local), ISO 8601 (nginx $time_iso8601) or epoch seconds
 * (nginx $msec). Undefined when the text is not a real time. Remembers the last answer: log
 * lines come in time order and many share a second.
 */
export class LogTimeParser {
  private lastIn = '';
  private lastOut: string | undefined;
  private minuteKey = '';
  private minutePrefix: string | undefined;

  parse(field: string, text: string): string | undefined {
    if (text === this.lastIn) return this.lastOut;
    this.lastIn = text;
    this.lastOut =
      field === 'msec'
        ? fromEpoch(text)
        : field === 'time_iso8601'
          ? fromIso(text)
          : field === 'time'
            ? (this.local(text) ?? fromIso(text))
            : this.local(text);
    return this.lastOut;
  }

  /** `[dd/Mon/yyyy:HH:MM:SS ±hhmm]`: the minute (with its zone) is worked out once; the seconds carry over as written. */
  private local(text: string): string | undefined {
    if (text.length !== 26) return undefined;
    const key = text.slice(0, 17) + text.slice(20);
    if (key !== this.minuteKey) {
      this.minuteKey = key;
      const whole = fromLocal(`${text.slice(0, 18)}00${text.slice(20)}`);
      this.minutePrefix = whole?.slice(0, 17);
    }
    const s = text.slice(18, 20);
    if (this.minutePrefix === undefined || !/^[0-5]\d$/.test(s))
      return s === '60' ? fromLocal(text) : undefined;
    return `${this.minutePrefix}${s}Z`;
  }
}

function fromLocal(text: string): string | undefined {
  const m = LOCAL.exec(text);
  if (m === null) return undefined;
  const [day, mon, year, h, mi, s] = [
    Number(m[1]),
    MONTHS[m[2]!],
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  ];
  if (mon === undefined || h > 23 || mi > 59 || s > 60) return undefined;
  const local = Date.UTC(year, mon, day, h, mi, Math.min(s, 59));
  if (new Date(local).getUTCDate() !== day) return undefined; // 31/Feb and friends
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return iso(local - offset);
}

function fromIso(text: string): string | undefined {
  if (!ISO.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : iso(t);
}

function fromEpoch(text: string): string | undefined {
  if (!/^\d{9,11}(\.\d{1,6})?$/.test(text)) return undefined;
  return iso(Math.round(Number(text) * 1000));
}

function iso(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}
