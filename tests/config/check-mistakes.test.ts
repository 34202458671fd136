import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/warehouse.ts';
import { captureIO } from '../helpers/cli.ts';
import { main } from '../../jobs/cli/main.ts';

// Issue 16, defect 11: deliberately wrong configs, each caught by `cdw check` with its config
// path and its line in the file (the mistakes of the issue, typo'd keys, wrong types, a bad
// cron, unknown time zones, missing paths, unknown columns).

/** A valid config: file sources only, so `cdw check` needs no database. */
const VALID = `warehouse:
  path: wh.duckdb
sources:
  - name: pos
    kind: csv
    timezone: Europe/Moscow
    connection:
      dir: in
    tables:
      - name: sales
        entity: transaction
        path: "sales_*.csv"
        primary_key: sale_id
        cursor: updated_at
        mapping:
          record_key: sale_id
          amount: total
          occurred_at: sold_at
          updated_at: updated_at
  - name: web
    kind: weblog
    connection:
      dir: in
    tables:
      - name: access
        entity: web_hit
        path: "access.log"
        mapping:
          record_key: hit_key
          occurred_at: ts
          url: url
`;

const PG_SOURCE = (url: string) => `  - name: billing
    kind: postgres
    connection:
      url: ${url}
    tables:
      - name: accounts
        entity: party
        primary_key: id
        mapping:
          record_key: id
`;

interface Case {
  readonly name: string;
  readonly text: string;
  /** The config path the problem is reported at. */
  readonly path: string;
  /** Text on the line the problem must be reported at (the first line holding it). */
  readonly at: string | 1;
  readonly message: RegExp;
  readonly env?: Record<string, string>;
}

const swap = (from: string, to: string) => {
  if (!VALID.includes(from)) throw new Error(`not in the valid config: ${from}`);
  return VALID.replace(from, to);
};

const CASES: Case[] = [
  {
    name: 'no sources: at all',
    text: 'warehouse:\n  path: wh.duckdb\n',
    path: 'sources',
    at: 1,
    message: /the config names no sources; add a sources: list/,
  },
  {
    name: 'a postgress:// URL',
    text: VALID + PG_SOURCE('"postgress://cdw@db.example.com/billing"'),
    path: 'sources[2].connection.url',
    at: 'postgress://',
    message:
      /the URL starts postgress:\/\/; expected postgres:\/\/ or postgresql:\/\/; did you mean "postgres"\?/,
  },
  {
    name: 'a clear-text password in a URL',
    text: VALID + PG_SOURCE('"postgres://cdw:S3cret!@db.example.com/billing"'),
    path: 'sources[2].connection.url',
    at: 'S3cret',
    message: /the URL holds a password in clear text; read the URL from the environment/,
  },
  {
    name: 'a clear-text password key',
    text:
      VALID +
      PG_SOURCE('"postgres://cdw@db.example.com/billing"').replace(
        '      url:',
        '      password: hunter2\n      url:',
      ),
    path: 'sources[2].connection.password',
    at: 'hunter2',
    message: /a password in clear text; read it from the environment/,
  },
  {
    name: 'a MySQL source given a postgres:// URL',
    text:
      VALID +
      PG_SOURCE('"postgres://cdw@db.example.com/erp"').replace('kind: postgres', 'kind: mysql'),
    path: 'sources[2].connection.url',
    at: 'postgres://cdw@db.example.com/erp',
    message: /expected mysql:\/\/ or mariadb:\/\//,
  },
  {
    name: 'a YAML syntax error',
    text: swap('        entity: transaction', '        entity: "transaction'),
    path: '(top level)',
    at: 'entity: "transaction',
    message: /not valid YAML/,
  },
  {
    name: 'a typo in a top-level key',
    text: swap('warehouse:', 'warehous:'),
    path: 'warehous',
    at: 'warehous:',
    message: /unknown setting "warehous"; did you mean "warehouse"\?/,
  },
  {
    name: 'a typo in a table key',
    text: swap('primary_key: sale_id', 'primary_kye: sale_id'),
    path: 'sources[0].tables[0].primary_kye',
    at: 'primary_kye',
    message: /unknown setting "primary_kye"; did you mean "primary_key"\?/,
  },
  {
    name: 'a typo in a connection key',
    text: swap(
      '      dir: in\n    tables:\n      - name: sales',
      '      dirr: in\n    tables:\n      - name: sales',
    ),
    path: 'sources[0].connection.dirr',
    at: 'dirr',
    message: /unknown setting "dirr"/,
  },
  {
    name: 'a number given as text',
    text: swap(
      'warehouse:\n  path: wh.duckdb\n',
      'warehouse:\n  path: wh.duckdb\nextract:\n  parallel: "three"\n',
    ),
    path: 'extract.parallel',
    at: 'parallel:',
    message: /expected number, found "three"/,
  },
  {
    name: 'a yes/no given as text',
    text: swap(
      '        primary_key: sale_id',
      '        primary_key: sale_id\n        enabled: "no"',
    ),
    path: 'sources[0].tables[0].enabled',
    at: 'enabled:',
    message: /expected boolean, found "no"/,
  },
  {
    name: 'a cron expression that is none',
    text: `${VALID}schedule:\n  cron: "every night at two"\n`,
    path: 'schedule.cron',
    at: 'cron:',
    message: /not a valid cron expression/,
  },
  {
    name: 'an unknown time zone of a source',
    text: swap('Europe/Moscow', 'Europe/Moskva'),
    path: 'sources[0].timezone',
    at: 'Europe/Moskva',
    message: /unknown time zone "Europe\/Moskva"/,
  },
  {
    name: 'an unknown time zone of the schedule',
    text: `${VALID}schedule:\n  cron: "0 2 * * *"\n  timezone: Mars/Olympus\n`,
    path: 'schedule.timezone',
    at: 'Mars/Olympus',
    message: /unknown time zone "Mars\/Olympus"/,
  },
  {
    name: 'a file table without its path',
    text: swap('        path: "sales_*.csv"\n', ''),
    path: 'sources[0].tables[0].path',
    at: '      - name: sales',
    message: /required/,
  },
  {
    name: 'a path that matches no file',
    text: swap('path: "sales_*.csv"', 'path: "sale_*.csv"'),
    path: 'sources[0].tables[0].path',
    at: 'sale_*.csv',
    message: /no file matches sale_\*\.csv in .*; check the path/,
  },
  {
    name: 'a folder that does not exist',
    text: swap(
      '      dir: in\n    tables:\n      - name: sales',
      '      dir: inbox\n    tables:\n      - name: sales',
    ),
    path: 'sources[0].connection.dir',
    at: 'dir: inbox',
    message: /does not exist; check connection\.dir and the table path/,
  },
  {
    name: 'a mapping that names a column the file does not have',
    text: swap('amount: total', 'amount: totl'),
    path: 'sources[0].tables[0].mapping.amount',
    at: 'amount: totl',
    message:
      /column totl is not in the files of sales; did you mean "total"\? \(it has sale_id, total, sold_at, updated_at\)/,
  },
  {
    name: 'an expression that names a column the file does not have',
    text: swap('amount: total', 'amount: "coalesce(net_total, total)"'),
    path: 'sources[0].tables[0].mapping.amount',
    at: 'net_total',
    message: /column net_total is not in the files of sales/,
  },
  {
    name: 'a log mapping that names a field the log format has not',
    text: swap('          url: url', '          cookie_id: http_cookie'),
    path: 'sources[1].tables[0].mapping.cookie_id',
    at: 'http_cookie',
    message: /column http_cookie is not in the files of access/,
  },
  {
    name: 'a cursor column not in the mapping',
    text: swap('cursor: updated_at', 'cursor: updated'),
    path: 'sources[0].tables[0].cursor',
    at: 'cursor: updated',
    message: /column "updated" not in mapping; did you mean "updated_at"\?/,
  },
  {
    name: 'an unknown entity',
    text: swap('entity: transaction', 'entity: sale'),
    path: 'sources[0].tables[0].entity',
    at: 'entity: sale',
    message:
      /expected one of "party", "transaction", "interaction", "web_hit", "campaign", "campaign_contact"; found "sale"/,
  },
  {
    name: 'an unknown canonical field',
    text: swap('amount: total', 'amout: total'),
    path: 'sources[0].tables[0].mapping.amout',
    at: 'amout',
    message: /"amout" is not a field of entity transaction; did you mean "amount"\?/,
  },
  {
    name: 'an unknown source kind',
    text: swap('kind: csv', 'kind: cvs'),
    path: 'sources[0].kind',
    at: 'kind: cvs',
    message:
      /expected one of postgres, mysql, csv, jsonl, weblog, parquet; found "cvs"; did you mean "csv"\?/,
  },
  {
    name: 'a table name used twice',
    text: `${VALID}      - name: access\n        entity: web_hit\n        path: "other.log"\n        mapping: { record_key: hit_key }\n`,
    path: 'sources[1].tables[1].name',
    at: '      - name: access\n        entity: web_hit\n        path: "other.log"',
    message: /table name "access" is used twice in source "web"/,
  },
  {
    name: 'delete detection on CSV files that are not snapshots',
    text: swap(
      '        primary_key: sale_id',
      '        primary_key: sale_id\n        detect_deletes: true',
    ),
    path: 'sources[0].tables[0].detect_deletes',
    at: 'detect_deletes',
    message:
      /csv files tell deleted rows only when each file is a full export of the table: set snapshot: true/,
  },
  {
    name: 'an on_schema_change that does not exist',
    text: swap(
      '        primary_key: sale_id',
      '        primary_key: sale_id\n        on_schema_change: ignore',
    ),
    path: 'sources[0].tables[0].on_schema_change',
    at: 'on_schema_change',
    message: /expected one of "fail", "warn", "evolve"; found "ignore"/,
  },
  {
    name: 'a look-back in words',
    text: swap('cursor: updated_at', 'cursor: { column: updated_at, lookback: "ten minutes" }'),
    path: 'sources[0].tables[0].cursor.lookback',
    at: 'ten minutes',
    message: /expected a duration like "30m", "2h" or "1d"; found "ten minutes"/,
  },
  {
    name: 'an environment variable that is not set',
    text: VALID + PG_SOURCE('${BILLING_URL}'),
    path: 'sources[2].connection.url',
    at: '${BILLING_URL}',
    message: /environment variable BILLING_URL is not set/,
  },
];

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('cdw-check-'));
  mkdirSync(path.join(dir, 'in'));
  writeFileSync(
    path.join(dir, 'in', 'sales_1.csv'),
    'sale_id,total,sold_at,updated_at\n1,10.5,2024-01-01,2024-01-01\n',
  );
  writeFileSync(
    path.join(dir, 'in', 'access.log'),
    '10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "UA"\n',
  );
});
afterAll(() => cleanup());

async function check(text: string, env: Record<string, string> = {}) {
  const file = path.join(dir, 'cdw.yaml');
  writeFileSync(file, text);
  const io = captureIO(env);
  const code = await main(['node', 'cdw', '-c', file, 'check'], { ...io, env });
  return { code, text: io.outText() + io.errText() };
}

describe('cdw check on deliberately wrong configs', () => {
  it('passes the valid config they start from', async () => {
    const r = await check(VALID);
    expect(r.text).toMatch(/^ok {3}pos/m);
    expect(r.code, r.text).toBe(0);
  });

  it('has at least 20 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: caught with its path and line',
    async (_n, c) => {
      const r = await check(c.text, c.env);
      expect(r.code, r.text).not.toBe(0);
      const line = c.at === 1 ? 1 : c.text.slice(0, c.text.indexOf(c.at)).split('\n').length;
      expect(c.at === 1 || c.text.includes(c.at)).toBe(true);
      // A config error: "  path: message (line N, column M)"; a check problem: "path (line N): message".
      const reported = r.text
        .split('\n')
        .find(
          (l) =>
            (l.includes(`${c.path}: `) && l.includes(`(line ${line}`)) ||
            l.includes(`${c.path} (line ${line}):`),
        );
      expect(reported, r.text).toBeDefined();
      expect(reported).toMatch(c.message);
      expect(r.text).not.toMatch(/S3cret|hunter2/);
    },
  );
});
