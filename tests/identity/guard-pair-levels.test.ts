import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBlockingRules } from '../../identity/blocking.ts';
import { parseBlockingRules } from '../../identity/blocking-rules.ts';
import { buildComparisonRecords, buildPairGammas } from '../../identity/candidate-pairs.ts';
import { buildDeterministicPairs } from '../../identity/deterministic.ts';
import { scoreArbitraryPairs } from '../../identity/pair-weight.ts';
import { prepareRecords } from '../../identity/prepare-records.ts';
import { loadModelTables, scorePairs } from '../../identity/score-pairs.ts';
import { buildPatternTables } from '../../identity/train-m.ts';
import { identitySettings } from '../../identity/settings.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { DEFAULT_IDENTITY_CONFIG, scenario, type Scenario } from './fixtures/scenario.ts';

describe('scoring the pairs inside a component', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await scenario({ people: 600, seed: 5 });
  });
  afterAll(() => s?.close());

  // cluster.ts scores every pair of a component; the candidate pairs among them take their
  // levels from pair_gammas instead of being compared again: that must change no score
  it('gives candidate pairs the same levels and weights from pair_gammas as compared afresh', async () => {
    const { model } = await s.run('g1');
    const settings = identitySettings(DEFAULT_IDENTITY_CONFIG);
    const comparisons = settings.comparisons;
    await prepareRecords(s.wh, settings.customComparisons, settings.birthDatePlaceholderFactor);
    await runBlockingRules(
      s.wh,
      parseBlockingRules(settings.blockingRules, comparisons),
      {
        maxPairs: settings.maxPairsPerRule,
        maxBlockSize: settings.maxBlockSize,
        maxPairsPerRecord: settings.maxPairsPerRecord,
      },
      silentLogger,
    );
    await buildDeterministicPairs(s.wh, settings, 'g2');
    await buildComparisonRecords(s.wh, comparisons);
    await buildPairGammas(s.wh, comparisons, { reuse: false, hashColumns: [] });
    await buildPatternTables(s.wh, comparisons);
    await scorePairs(s.wh, comparisons, model, { keepScores: false });
    await loadModelTables(s.wh, comparisons, model);
    // every pair of records of one customer, and each record with the next (mostly not candidates)
    await s.wh.run(`CREATE OR REPLACE TEMP TABLE some_pairs AS
      SELECT a.rec_id AS l, b.rec_id AS r FROM id_records a JOIN core.customer_xref xa USING (party_uid)
      JOIN core.customer_xref xb ON xb.customer_id = xa.customer_id JOIN id_records b ON b.party_uid = xb.party_uid
      WHERE a.rec_id < b.rec_id
      UNION SELECT rec_id, rec_id + 1 FROM id_records WHERE rec_id < (SELECT max(rec_id) FROM id_records)`);
    const split = await s.wh.one<{ known: number; other: number }>(
      `SELECT count(*) FILTER (WHERE g.l IS NOT NULL)::INTEGER AS known, count(*) FILTER (WHERE g.l IS NULL)::INTEGER AS other
       FROM some_pairs p LEFT JOIN pair_gammas g USING (l, r)`,
    );
    expect(split!.known).toBeGreaterThan(100);
    expect(split!.other).toBeGreaterThan(100);
    await scoreArbitraryPairs(s.wh, comparisons, model, 'SELECT l, r FROM some_pairs', 'fresh');
    await scoreArbitraryPairs(
      s.wh,
      comparisons,
      model,
      'SELECT l, r FROM some_pairs',
      'known',
      'pair_gammas',
    );
    const differ = await s.wh.scalar(
      `SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT ALL SELECT * FROM known))
            + (SELECT count(*) FROM (SELECT * FROM known EXCEPT ALL SELECT * FROM fresh))`,
    );
    expect(Number(differ)).toBe(0);
    expect(Number(await s.wh.scalar('SELECT count(*) FROM known'))).toBe(
      split!.known + split!.other,
    );
  });
});
