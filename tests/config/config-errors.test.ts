import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../jobs/config/load.ts';
import { ConfigError, type ConfigIssue } from '../../foundation/errors.ts';

const FILE = '/etc/cdw/cdw.yaml';

/** A valid config; each case below breaks one thing in it. */
const VALID = `
warehouse:
  path: wh.duckdb
sources:
  - name: pos
    kind: csv
    timezone: Europe/Moscow
    default_country: RU
    tables:
      - name: sales
        entity: transaction
        path: pos/*.csv
        primary_key: sale_id
        cursor: updated_at
        mapping:
          record_key: sale_id
          amount: total
          occurred_at: sold_at
          updated_at: updated_at
  - name: billing
    kind: postgres
    connection:
      url: \${BILLING_URL}
    tables:
      - name: accounts
        entity: party
        table: accounts
        primary_key: id
        mapping:
          record_key: id
          email: email
`;

function issuesOf(
  text: string,
  env: Record<string, string> = { BILLING_URL: 'postgres://x@h/db' },
): ConfigIssue[] {
  try {
    parseConfigText(text, FILE, { env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace in the message
    return [...e.issues];
  }
  throw new Error('expected the config to be refused');
}

describe('config validation', () => {
  it('accepts the valid config and resolves paths against the config folder', () => {
    const cfg = parseConfigText(VALID, FILE, { env: { BILLING_URL: 'postgres://x@h/db' } });
    expect(cfg.warehouse.path).toBe('/etc/cdw/wh.duckdb');
    expect(cfg.sources.map((s) => s.name)).toEqual(['pos', 'billing']);
    expect(cfg.sources[1]!.connection.url).toBe('postgres://x@h/db');
    expect(cfg.sources[0]!.tables[0]!.rawTable).toBe('pos__sales');
    expect(cfg.sources[0]!.tables[0]!.options.path).toBe('pos/*.csv');
    expect(cfg.sources[0]!.tables[0]!.cursor).toEqual({ column: 'updated_at', lookbackSeconds: 0 });
  });

  const cases: Array<[string, (t: string) => string, string, RegExp]> = [
    [
      'cursor column not in mapping, with a suggestion',
      (t) => t.replace('cursor: updated_at', 'cursor: updated'),
      'sources[0].tables[0].cursor',
      /column "updated" not in mapping; did you mean "updated_at"\?/,
    ],
    [
      'unknown connector kind, with a suggestion',
      (t) => t.replace('kind: postgres', 'kind: postgress'),
      'sources[1].kind',
      /expected one of .*postgres.*found "postgress".*did you mean "postgres"/,
    ],
    [
      'unknown canonical field in a mapping',
      (t) => t.replace('amount: total', 'amout: total'),
      'sources[0].tables[0].mapping.amout',
      /not a field of entity transaction; did you mean "amount"/,
    ],
    [
      'unknown entity',
      (t) => t.replace('entity: party', 'entity: customer'),
      'sources[1].tables[0].entity',
      /expected one of "party", "transaction", "interaction", "web_hit", "campaign", "campaign_contact"; found "customer"/,
    ],
    [
      'misspelt setting key',
      (t) => t.replace('primary_key: sale_id', 'primary_kye: sale_id'),
      'sources[0].tables[0].primary_kye',
      /unknown setting "primary_kye"; did you mean "primary_key"/,
    ],
    [
      'wrong type',
      (t) => t.replace('path: wh.duckdb', 'path: [a, b]'),
      'warehouse.path',
      /expected string, found a list/,
    ],
    [
      'missing required key',
      (t) => t.replace('        entity: transaction\n', ''),
      'sources[0].tables[0].entity',
      /required/,
    ],
    [
      'duplicate source names',
      (t) => t.replace('name: billing', 'name: pos'),
      'sources[1].name',
      /used twice/,
    ],
    [
      'unset environment variable',
      (t) => t,
      'sources[1].connection.url',
      /environment variable BILLING_URL is not set/,
    ],
    [
      'invalid time zone',
      (t) => t.replace('Europe/Moscow', 'Europe/Moskva'),
      'sources[0].timezone',
      /unknown time zone "Europe\/Moskva"/,
    ],
    [
      'bad source name',
      (t) => t.replace('name: pos', 'name: POS Tills'),
      'sources[0].name',
      /lowercase name/,
    ],
    [
      'primary key not mapped',
      (t) => t.replace('primary_key: id', 'primary_key: account_id'),
      'sources[1].tables[0].primary_key',
      /column "account_id" not in mapping/,
    ],
    [
      'invalid country code',
      (t) => t.replace('default_country: RU', 'default_country: Russia'),
      'sources[0].default_country',
      /ISO country code/,
    ],
    ['not YAML', () => 'sources: [\n  - name: x\n', '', /not valid YAML/],
    [
      'invalid cron',
      (t) => `${t}schedule:\n  cron: "every night"\n`,
      'schedule.cron',
      /not a valid cron expression/,
    ],
  ];

  it.each(cases)('%s is reported at its path', (_name, mutate, path, message) => {
    const env: Record<string, string> =
      _name === 'unset environment variable' ? {} : { BILLING_URL: 'postgres://x@h/db' };
    const issues = issuesOf(mutate(VALID), env);
    const hit = issues.find((i) => i.path === path && message.test(i.message));
    expect(hit, `issues were: ${JSON.stringify(issues)}`).toBeDefined();
  });

  it('refuses two tables that would land in the same raw table', () => {
    const text = [
      'sources:',
      '  - { name: a__b, kind: csv, tables: [{ name: c, entity: party, path: x.csv, mapping: { record_key: id } }] }',
      '  - { name: a, kind: csv, tables: [{ name: b__c, entity: party, path: y.csv, mapping: { record_key: id } }] }',
    ].join('\n');
    const issues = issuesOf(text);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'sources[1].tables[0].name',
        message: 'lands in raw.a__b__c, as a__b.c does; rename the table or the source',
      }),
    );
  });

  it('locates a mistake by line in the file', () => {
    const issues = issuesOf(VALID.replace('cursor: updated_at', 'cursor: updated'));
    const hit = issues.find((i) => i.path === 'sources[0].tables[0].cursor');
    expect(hit?.line).toBe(
      VALID.split('\n').findIndex((l) => l.includes('cursor: updated_at')) + 1,
    );
  });

  it('never echoes a connection value that may be a secret', () => {
    const issues = issuesOf(VALID.replace('url: ${BILLING_URL}', 'url: 12345'), {});
    const msg = issues.map((i) => i.message).join('\n');
    expect(msg).not.toContain('12345');
    expect(
      issues.some(
        (i) => i.path === 'sources[1].connection.url' && /expected string/.test(i.message),
      ),
    ).toBe(true);
  });

  it('formats every issue with its path in the error message', () => {
    try {
      parseConfigText(
        VALID.replace('cursor: updated_at', 'cursor: updated').replace(
          'amount: total',
          'amout: total',
        ),
        FILE,
        { env: { BILLING_URL: 'postgres://u@h/db' } },
      );
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain(`${FILE}: 2 problems in the config`);
      expect(msg).toContain(
        'sources[0].tables[0].cursor: column "updated" not in mapping; did you mean "updated_at"?',
      );
      return;
    }
    throw new Error('expected failure');
  });
});
