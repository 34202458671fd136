import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlockingRules } from '../../identity/blocking-rules.ts';
import { scenario, type Scenario } from './fixtures/scenario.ts';

describe('blocking rules', () => {
  it('reads rules as expressions joined by & and knows which comparisons they fix', () => {
    const [a, b] = parseBlockingRules(['postcode_norm & left(first_key, 1)', 'unnest(phones)']);
    expect(a).toMatchObject({
      no: 0,
      keys: ['postcode_norm', 'left(first_key, 1)'],
      fixes: ['first_name', 'location'],
    });
    expect(b).toMatchObject({ no: 1, keys: ['unnest(phones)'], fixes: ['phone'] });
    expect(() => parseBlockingRules(['postcode_norm & '])).toThrow(
      'identity.blocking_rules[0]: cannot read "postcode_norm & "',
    );
    expect(() => parseBlockingRules(['email_key; DROP TABLE x'])).toThrow('without ";"');
  });

  describe('on a warehouse', () => {
    let s: Scenario;
    beforeAll(async () => {
      s = await scenario({ people: 600, seed: 2 });
    });
    afterAll(() => s?.close());

    it('counts pairs before building and skips a rule that explodes, with a message naming it', async () => {
      const r = await s.run(
        'b1',
        { maxBlockSize: 1_000_000 },
        {
          blockingRules: ['email_key', 'source', 'postcode_norm & first_initial'],
          defaultBlockingRules: false,
          maxPairsPerRule: 100_000,
        },
      );
      const [email, country, postcode] = r.blocking;
      expect(email).toMatchObject({ status: 'built', message: null });
      expect(country!.status).toBe('skipped');
      const pairs = Number(
        await s.wh.scalar(
          'SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM staging.party_records GROUP BY source)',
        ),
      );
      expect(country!.pairsCounted).toBe(pairs);
      expect(country!.message).toMatch(
        /^blocking rule 1 "source" would make [\d,]+ pairs \(largest block [\d,]+ records\), over identity.max_pairs_per_rule 100,000; skipped/,
      );
      expect(postcode).toMatchObject({ status: 'built' });
      expect(s.logs.some((l) => l.startsWith('warn: blocking rule 1 "source"'))).toBe(true);
      const stats = await s.wh.all(
        "SELECT rule_no, rule, status FROM identity.blocking_stats WHERE run_id = 'b1' ORDER BY rule_no",
      );
      expect(stats).toEqual([
        { rule_no: 0, rule: 'email_key', status: 'built' },
        { rule_no: 1, rule: 'source', status: 'skipped' },
        { rule_no: 2, rule: 'postcode_norm & first_initial', status: 'built' },
      ]);
      expect(
        Number(await s.wh.scalar('SELECT count(*) FROM identity.pairs WHERE (rule_mask & 2) <> 0')),
      ).toBe(0);
      expect(
        Number(
          await s.wh.scalar(
            'SELECT count(*) FROM identity.pairs WHERE match_probability < 0.5 AND det_mask = 0',
          ),
        ),
      ).toBe(0);
      expect(r.candidatePairs).toBeGreaterThanOrEqual(email!.pairsNew + postcode!.pairsNew);
    });

    it('leaves out blocks bigger than the block limit and says so', async () => {
      const r = await s.run(
        'b3',
        { maxBlockSize: 50 },
        {
          blockingRules: ['source', 'email_key'],
          defaultBlockingRules: false,
        },
      );
      const sources = Number(
        await s.wh.scalar(
          'SELECT count(DISTINCT source) FROM staging.party_records WHERE source IS NOT NULL',
        ),
      );
      const records = Number(await s.wh.scalar('SELECT count(*) FROM staging.party_records'));
      expect(r.blocking[0]).toMatchObject({
        status: 'built',
        pairsCounted: 0,
        pairsNew: 0,
        message: `left out ${sources} blocks of more than 50 records (${records} records)`,
      });
      expect(r.blocking[1]!.pairsNew).toBeGreaterThan(0);
    });

    it('fails with the rule named when an expression is not valid SQL over identity.records', async () => {
      await expect(s.run('b2', {}, { blockingRules: ['no_such_column'] })).rejects.toThrow(
        /blocking rule \d+ "no_such_column" cannot be evaluated over the prepared records/,
      );
    });
  });
});
