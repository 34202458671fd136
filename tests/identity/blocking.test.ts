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
        { maxBlockSize: 1_000_000, maxPairsPerRecord: Number.POSITIVE_INFINITY },
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

    it('leaves out the most frequent values of a rule that would pass its pairs per record', async () => {
      const perRecord = 5;
      const r = await s.run(
        'b4',
        { maxPairsPerRecord: perRecord },
        { blockingRules: ['email_key', 'first_initial'], defaultBlockingRules: false },
      );
      const records = Number(await s.wh.scalar('SELECT count(*) FROM identity.records'));
      const sizes = (
        await s.wh.all<{ n: number }>(
          'SELECT count(*)::INTEGER AS n FROM identity.records WHERE first_initial IS NOT NULL GROUP BY first_initial ORDER BY n',
        )
      ).map((x) => x.n);
      // the cap is the largest block size whose blocks, with every smaller one, fit the budget
      const budget = perRecord * records;
      let cap = 1;
      let pairs = 0;
      for (const n of new Set(sizes)) {
        const more = sizes.filter((m) => m === n).reduce((a, m) => a + (m * (m - 1)) / 2, 0);
        if (pairs + more > budget) break;
        pairs += more;
        cap = n;
      }
      expect(sizes.at(-1)).toBeGreaterThan(cap);
      const leftOut = sizes.filter((n) => n > cap);
      const [email, initial] = r.blocking;
      expect(email).toMatchObject({ status: 'built', blockCap: 500, message: null });
      expect(initial).toMatchObject({
        status: 'built',
        blockCap: cap,
        largestBlock: cap,
        pairsCounted: pairs,
        message: `left out ${leftOut.length} block${leftOut.length === 1 ? '' : 's'} of more than ${cap} records (${leftOut.reduce((a, n) => a + n, 0)} records): the rule's most frequent values, over ${perRecord} pairs per record (identity.max_pairs_per_record)`,
      });
      expect(initial!.pairsCounted).toBeLessThanOrEqual(budget);
      expect(
        await s.wh.scalar(
          "SELECT message FROM identity.blocking_stats WHERE run_id = 'b4' AND rule_no = 1",
        ),
      ).toBe(initial!.message);
      // no pair the rule made shares one of the values left out
      const top = Number(
        await s.wh.scalar(`SELECT count(*) FROM identity.pairs p
          JOIN identity.records a ON a.party_uid = p.party_uid_l JOIN identity.records b ON b.party_uid = p.party_uid_r
          WHERE (p.rule_mask & 2) <> 0 AND a.first_initial IN (
            SELECT first_initial FROM identity.records GROUP BY 1 HAVING count(*) > ${cap})`),
      );
      expect(top).toBe(0);
    });

    it('keeps every default rule within its pairs per record on a generated set', async () => {
      const perRecord = 0.2;
      const r = await s.run('b5', { maxPairsPerRecord: perRecord });
      const records = Number(await s.wh.scalar('SELECT count(*) FROM identity.records'));
      for (const b of r.blocking) {
        expect(b.status).toBe('built');
        expect(b.pairsCounted).toBeLessThanOrEqual(perRecord * records);
      }
      // the bound binds here: some rules left out their most frequent values
      const capped = r.blocking.filter((b) => b.blockCap < 500);
      expect(capped.length).toBeGreaterThan(0);
      for (const b of capped) expect(b.message).toContain('identity.max_pairs_per_record');
    });

    it('fails with the rule named when an expression is not valid SQL over identity.records', async () => {
      await expect(s.run('b2', {}, { blockingRules: ['no_such_column'] })).rejects.toThrow(
        /blocking rule \d+ "no_such_column" cannot be evaluated over the prepared records/,
      );
    });
  });
});
