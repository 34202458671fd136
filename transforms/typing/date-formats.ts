import { textList, type NamedParams, type TypedParam } from '../../foundation/run-sql.ts';

/**
 * Date formats of a table (`date_formats:` in cdw.yaml) as DuckDB strptime patterns.
 *
 * A format may be written as strptime (`%d.%m.%Y %H:%M`) or with luxon/Java tokens
 * (`dd.MM.yyyy HH:mm`, `yyyy-MM-dd'T'HH:mm:ssZZ`); anything with a `%` is taken as strptime.
 */
export interface StrptimeFormats {
  /** Formats without an offset: the text is a local time in the table's time zone. */
  readonly local: readonly string[];
  /** Formats with an offset (`%z`): the text is an instant. */
  readonly zoned: readonly string[];
}

/** Tried after a table's own formats and ISO 8601: unambiguous shapes only (never d/m vs m/d). */
const DEFAULT_FORMATS = [
  '%d.%m.%Y %H:%M:%S',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d',
  '%Y%m%d',
  '%d %b %Y',
  '%d %B %Y',
  '%d/%b/%Y:%H:%M:%S %z',
];

// Longest first, so `yyyy` wins over `yy` and `MMMM` over `MM`.
const TOKENS: readonly (readonly [string, string])[] = [
  ['yyyy', '%Y'],
  ['yy', '%y'],
  ['MMMM', '%B'],
  ['MMM', '%b'],
  ['LLLL', '%B'],
  ['LLL', '%b'],
  ['MM', '%m'],
  ['LL', '%m'],
  ['M', '%m'],
  ['L', '%m'],
  ['dd', '%d'],
  ['d', '%d'],
  ['HH', '%H'],
  ['H', '%H'],
  ['hh', '%I'],
  ['h', '%I'],
  ['mm', '%M'],
  ['m', '%M'],
  ['ss', '%S'],
  ['s', '%S'],
  ['SSSSSS', '%f'],
  ['SSS', '%g'],
  ['a', '%p'],
  ['ZZZ', '%z'],
  ['ZZ', '%z'],
  ['Z', '%z'],
  ['XXX', '%z'],
  ['XX', '%z'],
  ['X', '%z'],
];

/** One format as strptime; throws on a letter that is no known token (a typo in the config). */
export function toStrptime(format: string): string {
  if (format.includes('%')) return format;
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) throw new Error(`date format "${format}": unclosed quote`);
      out += end === i + 1 ? "'" : format.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    const tok = TOKENS.find(([t]) => format.startsWith(t, i));
    if (tok !== undefined) {
      out += tok[1];
      i += tok[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch))
      throw new Error(
        `date format "${format}": unknown token "${ch}" (quote literal letters, e.g. 'T')`,
      );
    out += ch;
    i += 1;
  }
  return out;
}

function split(formats: readonly string[]): StrptimeFormats {
  const zoned = formats.filter((f) => /%[zZ]/.test(f));
  return { local: formats.filter((f) => !zoned.includes(f)), zoned };
}

/**
 * How a table's text dates are read, as SQL over a text expression, with the parameters
 * that SQL uses (`$tz` is bound by the caller). Order: the table's own formats, then ISO 8601
 * and epoch numbers (the common case, tried before the slower format lists), then the
 * unambiguous defaults.
 */
export interface DateTyping {
  readonly params: NamedParams;
  timestamp(s: string): string;
  date(s: string): string;
}

export function dateTyping(formats: readonly string[] | undefined): DateTyping {
  const own = split([...new Set((formats ?? []).map(toStrptime))]);
  const defaults = split(
    DEFAULT_FORMATS.filter((f) => !own.local.includes(f) && !own.zoned.includes(f)),
  );
  const params: Record<string, TypedParam> = {
    default_local: textList(defaults.local),
    default_zoned: textList(defaults.zoned),
  };
  if (own.local.length > 0) params.table_local = textList(own.local);
  if (own.zoned.length > 0) params.table_zoned = textList(own.zoned);
  return {
    params,
    timestamp: (s) =>
      `coalesce(${[
        ...(own.zoned.length > 0 ? [`try_strptime(${s}, $table_zoned)`] : []),
        ...(own.local.length > 0 ? [`timezone($tz, try_strptime(${s}, $table_local))`] : []),
        `cdw_iso_timestamp(${s}, $tz)`,
        `try_strptime(${s}, $default_zoned)`,
        `timezone($tz, try_strptime(${s}, $default_local))`,
      ].join(', ')})`,
    date: (s) =>
      `coalesce(${[
        ...(own.local.length > 0 ? [`CAST(try_strptime(${s}, $table_local) AS DATE)`] : []),
        `TRY_CAST(${s} AS DATE)`,
        `CAST(TRY_CAST(${s} AS TIMESTAMP) AS DATE)`,
        `CAST(try_strptime(${s}, $default_local) AS DATE)`,
      ].join(', ')})`,
  };
}
