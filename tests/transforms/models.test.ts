import { describe, expect, it } from 'vitest';
import { orderModels, STAGING_MODELS, type StagingModel } from '../../transforms/models/models.ts';
import { renderSql } from '../../foundation/sql-template.ts';

const model = (name: string, deps: string[] = []): StagingModel => ({
  name,
  deps,
  build: async () => undefined,
  apply: async () => undefined,
});

describe('staging models', () => {
  it('run each model after the models it reads', () => {
    const names = orderModels([...STAGING_MODELS].reverse()).map((m) => m.name);
    expect(names.indexOf('web_hits')).toBeLessThan(names.indexOf('cookie_links'));
    expect(names.indexOf('cookie_links')).toBeLessThan(names.indexOf('web_sessions'));
    expect(new Set(names)).toEqual(
      new Set([
        'party_records',
        'transactions',
        'interactions',
        'campaigns',
        'campaign_contacts',
        'web_hits',
        'web_sessions',
        'cookie_links',
      ]),
    );
  });

  it('refuse a cycle and an unknown dependency by name', () => {
    expect(() => orderModels([model('a', ['b']), model('b', ['a'])])).toThrow('cycle: a → b → a');
    expect(() => orderModels([model('a', ['zz'])])).toThrow('depends on unknown model zz');
  });
});

describe('sql templates', () => {
  it('quote identifiers and insert built fragments', () => {
    expect(
      renderSql('SELECT {{cols}} FROM {{t}} JOIN {{u}}', {
        ident: { t: ['raw', 'a"b'], u: 'x' },
        sql: { cols: 'count(*)' },
      }),
    ).toBe('SELECT count(*) FROM "raw"."a""b" JOIN "x"');
  });

  it('refuse a hole without a value and a value without a hole', () => {
    expect(() => renderSql('SELECT {{a}}', {})).toThrow('{{a}} has no value');
    expect(() => renderSql('SELECT 1', { sql: { a: '1' } })).toThrow('no hole for a');
  });
});
