import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import type { LineSplit } from '../types.ts';
import { isReservedColumn } from '../core/raw-table.ts';
import { BUILT_IN, compileFormat } from './log-format.ts';
import type { IdSource, WeblogOptions } from './options.ts';

/** The raw column a log line lands in, as it was logged (without its line break). */
export const LOG_LINE = 'log_line';

/** Fields a log format may carry its time in, in the order they are tried. */
export const TIME_FIELDS = ['time_local', 'time_iso8601', 'msec', 'time'] as const;
const URL_FIELDS = ['url', 'request_uri', 'uri'];
const COOKIE_FIELDS = ['http_cookie', 'cookie'];
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
// JavaScript's String.prototype.trim removes these (and Unicode spaces, which logs do not hold).
const TRIMMED = `' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)`;

/**
 * A log format as SQL: the query that splits raw `log_line`s into the columns the format has —
 * every field as logged (`-` read as NULL), `method`/`url`/`protocol` from `$request`, `ts`
 * (ISO-8601 UTC text), `visitor_id`, `user_id` — exactly as the log line parser of earlier
 * versions did in JavaScript, and the reason a line is refused (`_reject`, NULL when it parses):
 * a line that does not match the format, or whose time is not a real time.
 */
export function logLineSplit(o: WeblogOptions): LineSplit {
  if (o.format === 'pattern' && o.pattern === undefined)
    throw new Error(
      'format: pattern needs pattern: (a $field template or a ^regex with named groups)',
    );
  const formatName = o.format === 'pattern' ? 'configured' : o.format;
  const format = compileFormat(o.format === 'pattern' ? o.pattern! : BUILT_IN[o.format]);
  const fields = format.fields;
  const clash = fields.find(
    (f) => isReservedColumn(f) || f === 'hit_key' || f === LOG_LINE || f.startsWith('__'),
  );
  if (clash !== undefined)
    throw new Error(`field ${clash} is a name cdw uses itself; rename it in the pattern`);
  const derive =
    fields.includes('request') && !fields.some((f) => ['method', 'url', 'protocol'].includes(f));
  const urlField = fields.find((f) => URL_FIELDS.includes(f));
  const timeField = TIME_FIELDS.find((f) => fields.includes(f));
  const extra = [...(derive ? ['method', 'url', 'protocol'] : []), 'ts', 'visitor_id', 'user_id'];
  const added = extra.filter((n) => !fields.includes(n));
  const columns = [...fields, ...added];
  const q = quoteIdent;
  const url = derive ? q('url') : urlField === undefined ? 'NULL' : q(urlField);
  const ids = { visitor_id: o.visitor_id, user_id: o.user_id };
  for (const src of Object.values(ids)) checkIdSource(src, fields);

  const groups = format.sql.groups.map((g, i) => (fields.includes(g) ? g : `__g${i}`));
  const split = `regexp_extract(${q(LOG_LINE)}, ${quoteLiteral(format.sql.regex)}, [${groups.map(quoteLiteral).join(', ')}])`;
  const layers = [
    `SELECT *, ${split} AS __m, regexp_matches(${q(LOG_LINE)}, ${quoteLiteral(format.sql.regex)}) AS __ok`,
    `SELECT *, ${fields.map((f) => `nullif(__m.${q(f)}, '-') AS ${q(f)}`).join(', ')}`,
    derive
      ? `SELECT *, string_split(coalesce("request", ''), ' ') AS __rq`
      : `SELECT *, NULL AS __rq`,
    [
      'SELECT *',
      ...(derive
        ? [
            `CASE WHEN len(__rq) = 3 AND __rq[1] <> '' THEN __rq[1] END AS "method"`,
            `CASE WHEN len(__rq) = 3 AND __rq[1] <> '' THEN __rq[2] END AS "url"`,
            `CASE WHEN len(__rq) = 3 AND __rq[1] <> '' THEN __rq[3] END AS "protocol"`,
          ]
        : []),
      `${timeField === undefined ? 'CAST(NULL AS TIMESTAMP)' : timeSql(timeField, q(timeField))} AS __t`,
    ].join(', '),
    [
      'SELECT *',
      ...(added.includes('ts') ? [`${isoText('__t')} AS "ts"`] : []),
      ...Object.entries(ids)
        .filter(([name]) => added.includes(name))
        .map(([name, src]) => `${idSql(src, fields, url)} AS ${q(name)}`),
      `CASE WHEN NOT __ok THEN ${quoteLiteral(`line does not match the ${formatName} log format`)}${
        timeField === undefined
          ? ''
          : ` WHEN ${q(timeField)} IS NOT NULL AND __t IS NULL THEN ${quoteLiteral(`unparseable time in ${timeField}`)}`
      } END AS _reject`,
    ].join(', '),
  ];
  return {
    columns,
    sql(from) {
      let rel = `(${from})`;
      for (const [i, layer] of layers.entries()) rel = `(${layer} FROM ${rel} AS __l${i})`;
      return `SELECT * EXCLUDE (__m, __ok, __rq, __t) FROM ${rel} AS __parsed`;
    },
  };
}

/** The request time as a TIMESTAMP in UTC, NULL when the text is not a real time. */
function timeSql(field: string, t: string): string {
  const local = `CASE WHEN regexp_full_match(${t}, '\\d{2}/(${MONTHS})/\\d{4}:([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60) [+-]\\d{4}')
    THEN timezone('UTC', try_strptime(CASE WHEN substr(${t}, 19, 2) = '60' THEN substr(${t}, 1, 18) || '59' || substr(${t}, 21) ELSE ${t} END, '%d/%b/%Y:%H:%M:%S %z')) END`;
  const iso = `CASE WHEN regexp_full_match(${t}, '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})')
    THEN timezone('UTC', try_cast(${t} AS TIMESTAMPTZ)) END`;
  if (field === 'msec')
    return `CASE WHEN regexp_full_match(${t}, '\\d{9,11}(\\.\\d{1,6})?') THEN epoch_ms(CAST(round(CAST(${t} AS DOUBLE) * 1000) AS BIGINT)) END`;
  if (field === 'time_iso8601') return iso;
  if (field === 'time') return `coalesce(${local}, ${iso})`;
  return local;
}

/** ISO-8601 text of a UTC TIMESTAMP: milliseconds only when there are some. */
function isoText(t: string): string {
  return `CASE WHEN millisecond(${t}) % 1000 = 0 THEN strftime(${t}, '%Y-%m-%dT%H:%M:%SZ') ELSE strftime(${t}, '%Y-%m-%dT%H:%M:%S.%gZ') END`;
}

function checkIdSource(src: IdSource | undefined, fields: readonly string[]): void {
  if (src === undefined) return;
  if ('field' in src && !fields.includes(src.field))
    throw new Error(`field ${src.field} is not in the log format (fields: ${fields.join(', ')})`);
  if ('cookie' in src && !fields.some((f) => COOKIE_FIELDS.includes(f)))
    throw new Error(
      `cookie ${src.cookie} needs the Cookie header in the log format ($http_cookie)`,
    );
}

/** A visitor cookie or user id: a cookie of the logged Cookie header, a parameter of the URL (percent-decoded), or a field. */
function idSql(src: IdSource | undefined, fields: readonly string[], url: string): string {
  if (src === undefined) return 'CAST(NULL AS VARCHAR)';
  if ('field' in src) return quoteIdent(src.field);
  if ('cookie' in src) {
    const header = quoteIdent(fields.find((f) => COOKIE_FIELDS.includes(f))!);
    // A whole cookie name: at the start or after ";" (and spaces); the value up to the next ";".
    const re = `(?:^|;) *${escapeRe2(src.cookie)}=([^;]*)`;
    return `nullif(trim(regexp_extract(${header}, ${quoteLiteral(re)}, 1), ${TRIMMED}), '')`;
  }
  const name = quoteLiteral(src.query);
  const pairs = `string_split(regexp_extract(${url}, '\\?([^#]*)', 1), '&')`;
  const value = `list_filter(${pairs}, lambda p: ${decoded(`split_part(p, '=', 1)`)} = ${name})[1]`;
  const after = (p: string) =>
    `CASE WHEN contains(${p}, '=') THEN substr(${p}, strpos(${p}, '=') + 1) ELSE '' END`;
  return `CASE WHEN contains(${url}, '?') THEN nullif(${decoded(after(value))}, '') END`;
}

/** `+` as a space, then percent-decoded as decodeURIComponent does; the text as it is when that fails. */
function decoded(s: string): string {
  return `CASE WHEN regexp_matches(${s}, '%([^0-9A-Fa-f]|$|[0-9A-Fa-f]([^0-9A-Fa-f]|$))') THEN ${s}
    ELSE coalesce(try(url_decode(replace(${s}, '+', ' '))), ${s}) END`;
}

function escapeRe2(text: string): string {
  return text.replace(/[^A-Za-z0-9 ]/g, (c) => (c.charCodeAt(0) < 0x80 ? `\\${c}` : c));
}
