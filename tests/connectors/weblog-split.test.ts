import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { weblogOptions } from '../../connectors/weblog/options.ts';
import { logLineSplit } from '../../connectors/weblog/log-sql.ts';
import { LogLineParser } from './weblog-js/parse-log-line.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

type Outcome = { reject: string } | { values: (string | null)[] };

/** What the JavaScript parser cdw used before made of each line: its columns, or why it refused it. */
function byJs(options: Record<string, unknown>, lines: readonly string[]): Outcome[] {
  const parser = new LogLineParser(weblogOptions(options));
  return lines.map((text, i) => {
    const r = parser.parse(text, { text, raw: text, no: i + 1, offset: 0 }, { rel: 'a', id: 'x' });
    return typeof r === 'string' ? { reject: r } : { values: r.slice(1) };
  });
}

/** What the SQL split makes of the same lines, in DuckDB. */
async function bySql(
  options: Record<string, unknown>,
  lines: readonly string[],
): Promise<Outcome[]> {
  const split = logLineSplit(weblogOptions(options));
  await wh.run('CREATE OR REPLACE TABLE lines (n INTEGER, log_line VARCHAR)');
  for (const [i, l] of lines.entries())
    await wh.run('INSERT INTO lines VALUES ($1, $2)', [i + 1, l]);
  const rows = await wh.all<Record<string, string | null>>(
    `SELECT * FROM (${split.sql('SELECT * FROM lines')}) ORDER BY n`,
  );
  return rows.map((r) =>
    r._reject !== null
      ? { reject: r._reject! }
      : { values: split.columns.map((c) => r[c] ?? null) },
  );
}

const t = (day = '10/Oct/2024', time = '13:55:01', zone = '+0200') => `[${day}:${time} ${zone}]`;
const combined = (o: { time?: string; request?: string; ua?: string; cookie?: string } = {}) =>
  `10.0.0.1 - alice ${o.time ?? t()} "${o.request ?? 'GET /p/1?uid=u1&x=1 HTTP/1.1'}" 200 101 "https://ref.example/" "${o.ua ?? 'Mozilla/5.0'}"${o.cookie === undefined ? '' : ` "${o.cookie}"`}`;

const COMBINED_LINES = [
  combined(),
  '10.0.0.2 - - [10/Oct/2024:13:55:02 -0700] "-" 404 - "-" "-"',
  combined({ ua: 'Mozilla \\"quoted\\" agent' }),
  combined({ ua: 'ends in a backslash \\\\' }),
  combined({ request: 'GET /' }),
  combined({ request: 'GET /a b HTTP/1.1' }),
  combined({ request: 'GET  HTTP/1.1' }),
  combined({ request: ' /x HTTP/1.1' }),
  combined({ request: 'POST /søk?q=ä HTTP/2.0' }),
  combined({ time: t('31/Feb/2024') }),
  combined({ time: t('00/Oct/2024') }),
  combined({ time: t('29/Feb/2024', '23:59:60') }),
  combined({ time: t('10/Oct/2024', '24:00:00') }),
  combined({ time: t('10/oct/2024') }),
  combined({ time: t('10/Oct/2024', '13:55:01', '+0545') }),
  combined({ time: '[10/Oct/2024:13:55:01]' }),
  'this is not a log line',
  `${combined()} trailing`,
  `${combined()} `,
  '',
];

describe('web log lines split in SQL', () => {
  it('gives every combined and common line the columns the JavaScript parser gave it, and refuses the same lines for the same reasons', async () => {
    for (const format of ['combined', 'common']) {
      const o = { path: 'x', format };
      const sql = await bySql(o, COMBINED_LINES);
      expect(sql).toEqual(byJs(o, COMBINED_LINES));
    }
    // Not a vacuous comparison: both formats keep lines and refuse some.
    const sql = await bySql({ path: 'x' }, COMBINED_LINES);
    expect(sql.filter((r) => 'values' in r).length).toBeGreaterThan(8);
    expect(sql.filter((r) => 'reject' in r).length).toBeGreaterThan(5);
  });

  it('reads visitor cookies and user ids from a cookie, a URL parameter (percent-decoded) or a field as the JavaScript did', async () => {
    const pattern =
      '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"';
    const cookies = [
      '_vid=v1; theme=dark',
      'theme=dark;_vid=v2',
      'x_vid=no; _vid=yes',
      'theme=dark;   _vid= spaced ;x=1',
      '_vid=',
      '-',
      'other=1',
    ];
    const queries = [
      '/p?uid=u%20x',
      '/p?uid=a+b',
      '/p?u%69d=enc',
      '/p?uid=%zz',
      '/p?uid=%ff',
      '/p?x=1&uid=',
      '/p?uid=1#frag&uid=2',
      '/p?uid',
      '/p',
      '/p?x=1&uid=2&uid=3',
      '/p?uid=%E2%82%AC',
    ];
    const lines = cookies.flatMap((cookie) =>
      queries.map((url) => combined({ cookie, request: `GET ${url} HTTP/1.1` })),
    );
    for (const ids of [
      { visitor_id: { cookie: '_vid' }, user_id: { query: 'uid' } },
      { visitor_id: { query: 'uid' }, user_id: { field: 'remote_user' } },
    ]) {
      const o = { path: 'x', format: 'pattern', pattern, ...ids };
      expect(await bySql(o, lines)).toEqual(byJs(o, lines));
    }
    const got = await bySql(
      {
        path: 'x',
        format: 'pattern',
        pattern,
        visitor_id: { cookie: '_vid' },
        user_id: { query: 'uid' },
      },
      lines.slice(0, 11),
    );
    expect(got.map((r) => ('values' in r ? r.values.slice(-2) : r))).toEqual([
      ['v1', 'u x'],
      ['v1', 'a b'],
      ['v1', 'enc'],
      ['v1', '%zz'],
      ['v1', '%ff'],
      ['v1', null],
      ['v1', '1'],
      ['v1', null],
      ['v1', null],
      ['v1', '2'],
      ['v1', '€'],
    ]);
  });

  it('reads epoch, ISO-8601 and either kind of time, and a regular expression with named and unnamed groups, as the JavaScript did', async () => {
    const cases: { o: Record<string, unknown>; lines: string[] }[] = [
      {
        o: { format: 'pattern', pattern: '$msec $remote_addr "$request"' },
        lines: [
          '1700000000.123 10.0.0.1 "GET / HTTP/1.1"',
          '1700000000 10.0.0.1 "GET / HTTP/1.1"',
          '1700000000.0005 10.0.0.1 "GET / HTTP/1.1"',
          '12345 10.0.0.1 "GET / HTTP/1.1"',
          '- 10.0.0.1 "GET / HTTP/1.1"',
        ],
      },
      {
        o: { format: 'pattern', pattern: '$time_iso8601 $remote_addr $uri' },
        lines: [
          '2024-10-10T13:55:01+02:00 10.0.0.1 /a?uid=1',
          '2024-10-10T13:55:01.5Z 10.0.0.1 /a',
          '2024-10-10T13:55:01.123456Z 10.0.0.1 /a',
          '2024-10-10T13:55:01-0330 10.0.0.1 /a',
          '2024-13-10T13:55:01Z 10.0.0.1 /a',
          '2024-10-10 13:55:01Z 10.0.0.1 /a',
        ],
      },
      {
        o: { format: 'pattern', pattern: '$time|$remote_addr|$url', user_id: { query: 'uid' } },
        lines: [
          '10/Oct/2024:13:55:01 +0200|10.0.0.1|/a?uid=1',
          '2024-10-10T13:55:01Z|10.0.0.1|/b?uid=2',
          'yesterday|10.0.0.1|/c',
        ],
      },
      {
        o: {
          format: 'pattern',
          pattern:
            '^(?<remote_addr>\\S+) \\S+ (\\S+) \\[(?<time_local>[^\\]]+)\\] "(?<request>[^"]*)" (?<status>\\d{3}) (?<body_bytes_sent>\\d+|-)',
        },
        lines: [combined(), COMBINED_LINES[1]!, 'not a line', combined({ time: t('31/Feb/2024') })],
      },
    ];
    for (const c of cases) {
      const o = { path: 'x', ...c.o };
      const sql = await bySql(o, c.lines);
      expect(sql, JSON.stringify(c.o)).toEqual(byJs(o, c.lines));
      expect(sql.some((r) => 'values' in r)).toBe(true);
    }
  });

  it('refuses at config time a regular expression the SQL split cannot run (look-around, back-references), and runs one that only looks like them', async () => {
    const refused = (pattern: string) => () =>
      weblogOptions({ path: 'x', format: 'pattern', pattern });
    expect(refused('^(?<ip>\\S+) (?<=\\S)(?<status>\\d+)')).toThrow(/look-around group \(\?<=/);
    expect(refused('^(?<ip>\\S+)(?! x) (?<status>\\d+)')).toThrow(/look-around group \(\?!/);
    expect(refused('^(?<ip>\\S+) (?<status>\\d+) \\1$')).toThrow(/back-reference/);
    expect(refused('^(?<ip>\\S+) (?<status>\\d+) \\k<ip>$')).toThrow(/back-reference/);
    expect(refused('^(?<ip>[^\\1 ]+) (?<status>\\d+)$')).toThrow(/octal escape/);
    // An escaped parenthesis, a class holding "(?=", and an escaped backslash before a 1: all RE2.
    const o = {
      path: 'x',
      format: 'pattern',
      pattern: '^\\(?(?<ip>[^ (?=]+) (?<status>\\d+)\\\\1$',
    };
    const lines = ['10.0.0.1 200\\1', '(10.0.0.1 404\\1', 'x'];
    const sql = await bySql(o, lines);
    expect(sql).toEqual(byJs(o, lines));
    expect(sql.filter((r) => 'values' in r)).toHaveLength(2);
  });
});
