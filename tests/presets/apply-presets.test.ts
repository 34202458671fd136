import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPresets, PRESETS } from '../../jobs/config/presets/index.ts';
import { parseConfigText } from '../../jobs/config/load.ts';
import type { ConfigIssue } from '../../foundation/errors.ts';
import { ConfigError } from '../../foundation/errors.ts';

const FILE = '/tmp/presets/cdw.yaml';

function expand(yaml: string): {
  config: { sources: Record<string, unknown>[] };
  issues: ConfigIssue[];
} {
  const issues: ConfigIssue[] = [];
  const config = applyPresets(parse(yaml), issues) as { sources: Record<string, unknown>[] };
  return { config, issues };
}

function problems(yaml: string): readonly ConfigIssue[] {
  try {
    parseConfigText(yaml, FILE);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('presets', () => {
  it('expand a source without tables into the preset’s tables for its kind', () => {
    const cfg = parseConfigText(
      'sources:\n  - { name: billing, kind: csv, preset: billing }\n',
      FILE,
    );
    const s = cfg.sources[0]!;
    expect(s.system).toBe('billing');
    expect(s.tables.map((t) => t.name)).toEqual(['accounts', 'invoices', 'payments']);
    expect(s.tables[0]!.options.path).toBe('accounts_*.csv');
    expect(s.tables[0]!.mapping.first_name).toBe('first_name');
  });

  it('let a source override a table by name, key by key; null removes a mapped field; other tables stay', () => {
    const yaml = [
      'sources:',
      '  - name: billing',
      '    kind: postgres',
      '    preset: billing',
      '    connection: { url: "postgres://u@h/db" }',
      '    tables:',
      '      - name: accounts',
      '        table: public.accounts',
      '        mapping: { title: null, email: email_address }',
      '      - name: refunds',
      '        entity: transaction',
      '        table: public.refunds',
      '        primary_key: refund_id',
      '        mapping: { record_key: refund_id, amount: amount }',
    ].join('\n');
    const cfg = parseConfigText(yaml, FILE);
    const tables = cfg.sources[0]!.tables;
    expect(tables.map((t) => t.name)).toEqual(['accounts', 'refunds', 'invoices', 'payments']);
    expect(tables[0]!.options.table).toBe('public.accounts');
    expect(tables[0]!.mapping.title).toBeUndefined();
    expect(tables[0]!.mapping.email).toBe('email_address');
    expect(tables[0]!.mapping.first_name).toBe('first_name');
    expect(tables[0]!.cursor?.column).toBe('updated_at');
    expect(tables[2]!.options.table).toBe('cdw_demo.invoices');
  });

  it('report an unknown preset by its path with a did-you-mean', () => {
    const issues = problems('sources:\n  - { name: billing, kind: csv, preset: biling }\n');
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'sources[0].preset',
        message: expect.stringContaining('unknown preset "biling"; did you mean "billing"?'),
      }),
    );
    expect(issues[0]!.line).toBe(2);
  });

  it('report a preset that has no tables for the source’s kind', () => {
    const { issues } = expand('sources:\n  - { name: web, kind: csv, preset: web }\n');
    expect(issues).toEqual([
      {
        path: 'sources[0].preset',
        message: 'preset "web" has no tables for kind csv; it has tables for weblog',
      },
    ]);
  });

  it('leave sources without a preset untouched, and keep an explicit system', () => {
    const { config, issues } = expand(
      'sources:\n  - { name: a, kind: csv, tables: [] }\n  - { name: b, kind: jsonl, preset: contact_center, system: helpdesk }\n',
    );
    expect(issues).toEqual([]);
    expect(config.sources[0]).toEqual({ name: 'a', kind: 'csv', tables: [] });
    expect(config.sources[1]!.system).toBe('helpdesk');
    expect((config.sources[1]!.tables as { name: string }[]).map((t) => t.name)).toEqual([
      'tickets',
    ]);
  });

  it('validate for every kind they have tables for', () => {
    for (const p of PRESETS) {
      for (const kind of Object.keys(p.tables)) {
        const connection =
          kind === 'postgres' || kind === 'mysql'
            ? `\n    connection: { url: "${kind}://u@h/db" }`
            : '';
        const cfg = parseConfigText(
          `sources:\n  - name: s\n    kind: ${kind}\n    preset: ${p.name}${connection}\n`,
          FILE,
        );
        expect(cfg.sources[0]!.tables.length, `${p.name}/${kind}`).toBe(p.tables[kind]!.length);
      }
    }
  });

  it('are not changed by expanding them (each source gets its own copy)', () => {
    const before = JSON.stringify(PRESETS);
    const { config } = expand(
      'sources:\n  - { name: a, kind: csv, preset: pos, tables: [{ name: sales_ru, mapping: { store: null } }] }\n  - { name: b, kind: csv, preset: pos }\n',
    );
    (config.sources[1]!.tables as { mapping: Record<string, string> }[])[0]!.mapping.x = 'y';
    expect(JSON.stringify(PRESETS)).toBe(before);
  });
});
