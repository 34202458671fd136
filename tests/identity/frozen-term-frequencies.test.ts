import { listValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRetrain } from '../../identity/model-state.ts';
import { prepareRecords } from '../../identity/prepare-records.ts';
import { party } from './fixtures/party-row.ts';
import { scenario, type Scenario } from './fixtures/scenario.ts';

/** tf_last of every record by party_uid, as the last run scored with it (identity.records). */
async function lastTf(s: Scenario): Promise<Map<string, number | null>> {
  const rows = await s.wh.all<{ party_uid: string; tf_last: number | null }>(
    'SELECT party_uid, tf_last FROM identity.records',
  );
  return new Map(rows.map((r) => [r.party_uid, r.tf_last]));
}

/** Weight of every kept pair whose two records are not among `changed`. */
async function keptWeights(s: Scenario, changed: readonly string[]): Promise<Map<string, number>> {
  const rows = await s.wh.all<{ k: string; w: number }>(
    `SELECT party_uid_l || '|' || party_uid_r AS k, match_weight AS w FROM identity.pair_levels
     WHERE NOT list_contains($1::VARCHAR[], party_uid_l) AND NOT list_contains($1::VARCHAR[], party_uid_r)`,
    [listValue(['', ...changed])],
  );
  return new Map(rows.map((r) => [r.k, Number(r.w)]));
}

describe('term frequencies kept with the model', () => {
  let s: Scenario;
  let common: string;
  const added: string[] = [];

  beforeAll(async () => {
    s = await scenario({ people: 600, seed: 21 });
    await s.run('n1');
    common = String(
      await s.wh.scalar(
        'SELECT last_key FROM identity.records WHERE last_key IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1',
      ),
    );
  }, 300_000);
  afterAll(() => s?.close());

  it('give unchanged records the frequencies of training and a value never seen then the smallest', async () => {
    const before = await lastTf(s);
    const weightsBefore = await keptWeights(s, []);
    // new holders of the commonest surname: a frequency over tonight's records would move for
    // every record (each holder's share of all holders changes)
    const rows = ['Xaviera', 'Yolanthe', 'Zebulon', 'Quirinus', 'Ottoline', 'Peregrine'].map(
      (first, i) => party(`test.crm:new${i}`, { first, last: common, birth: `1990-01-0${i + 1}` }),
    );
    rows.push(party('test.crm:unseen', { first: 'Ulrika', last: 'Zzyzxwortle' }));
    added.push(...rows.map((r) => String(r.party_uid)));
    await s.put(rows);
    const night = await s.run('n2');
    expect(night.trained).toBeUndefined();
    const after = await lastTf(s);
    const kept = Number(
      await s.wh.scalar(`SELECT tf FROM identity.kept_tf WHERE kind = 'last' AND value = $1`, [
        common,
      ]),
    );
    const smallest = Number(
      await s.wh.scalar(`SELECT min(tf) FROM identity.kept_tf WHERE kind = 'last'`),
    );
    let same = 0;
    for (const [uid, tf] of before) {
      expect(after.get(uid)).toBe(tf);
      same += 1;
    }
    expect(same).toBeGreaterThan(500);
    expect(after.get('test.crm:new0')).toBe(kept);
    expect(after.get('test.crm:unseen')).toBe(smallest);
    // over tonight's records the commonest surname is commoner than at training
    await prepareRecords(s.wh);
    const live = Number(
      await s.wh.scalar('SELECT tf_last FROM id_records WHERE party_uid = $1', ['test.crm:new0']),
    );
    expect(live).toBeGreaterThan(kept);
    await s.wh.run('DROP TABLE id_records');
    // the pairs of unchanged records kept their weights; only pairs with a new record were scored
    expect(night.scoredPairs).toBeGreaterThan(0);
    expect(night.scoredPairs).toBeLessThan(night.candidatePairs);
    expect(night.scoredPairs).toBeLessThanOrEqual(night.comparedPairs);
    const weightsAfter = [...(await keptWeights(s, added))].filter(([k]) => weightsBefore.has(k));
    expect(weightsAfter.length).toBeGreaterThan(100);
    for (const [k, w] of weightsAfter) expect(w).toBe(weightsBefore.get(k));
  });

  it('are computed again, over all records, by a run that trains', async () => {
    await requestRetrain(s.wh, 'test');
    const night = await s.run('n3');
    expect(night.trained).toMatch(/asked for/);
    expect(night.scoredPairs).toBe(night.candidatePairs);
    await prepareRecords(s.wh);
    const live = Number(
      await s.wh.scalar('SELECT tf_last FROM id_records WHERE party_uid = $1', ['test.crm:new0']),
    );
    await s.wh.run('DROP TABLE id_records');
    expect(
      Number(
        await s.wh.scalar(`SELECT tf FROM identity.kept_tf WHERE kind = 'last' AND value = $1`, [
          common,
        ]),
      ),
    ).toBe(live);
    expect(await s.wh.scalar('SELECT scored_by FROM identity.pair_levels_version')).toBe('n3');
  });
});
