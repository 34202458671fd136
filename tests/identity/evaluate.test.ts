import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateIdentity } from '../../identity/evaluate.ts';
import { formatEvaluation } from '../../identity/format.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';

describe('cdw identity evaluate', () => {
  let wh: Warehouse;
  let dir: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    dir = tempDir();
    // predicted: c1 = {r1, r2, r3}, c2 = {r4, r7}, c3 = {r5, r6}; c1, c2, c3 one household
    const pred: [string, number][] = [
      ['r1', 1],
      ['r2', 1],
      ['r3', 1],
      ['r4', 2],
      ['r7', 2],
      ['r5', 3],
      ['r6', 3],
    ];
    for (const [uid, c] of pred) {
      await wh.run(
        "INSERT INTO core.customer_xref VALUES ($1, $2, 's', 't', $2, 1.0, 'self', 'r')",
        [c, `s.t:${uid}`],
      );
    }
    for (const c of [1, 2, 3])
      await wh.run("INSERT INTO core.dim_household VALUES (100, $1, 'a|1', 'member', 'r')", [c]);
  });
  afterEach(() => {
    wh.close();
    dir.cleanup();
  });

  it('computes pairwise and B-cubed scores, worst merges and splits, and households over people', async () => {
    // truth: p1 = {r1, r2}, p2 = {r3, r4, r7}, p3 = {r5, r6}; households h1 = {p1, p2}, h2 = {p3}
    const truth = path.join(dir.dir, 'truth.csv');
    const rows = [
      ['r1', 'p1', 'h1'],
      ['r2', 'p1', 'h1'],
      ['r3', 'p2', 'h1'],
      ['r4', 'p2', 'h1'],
      ['r7', 'p2', 'h1'],
      ['r5', 'p3', 'h2'],
      ['r6', 'p3', 'h2'],
    ];
    writeFileSync(
      truth,
      `party_uid,person_id,household_id\n${rows.map(([u, p, h]) => `s.t:${u},${p},${h}`).join('\n')}\n`,
    );
    const e = await evaluateIdentity(wh, truth);
    expect(e.records).toBe(7);
    expect(e.pairwise).toEqual({
      precision: 0.6,
      recall: 0.6,
      f1: expect.closeTo(0.6, 9),
      truePositives: 3,
      predictedPairs: 5,
      truePairs: 5,
    });
    expect(e.bcubed.precision).toBeCloseTo(17 / 21, 9);
    expect(e.bcubed.recall).toBeCloseTo(17 / 21, 9);
    expect(e.clusters).toEqual({ truth: 3, predicted: 3 });
    expect(e.worstMerges).toEqual([
      { customer_id: 1, records: 3, people: 2, party_uids: ['s.t:r1', 's.t:r2', 's.t:r3'] },
    ]);
    expect(e.worstSplits).toEqual([
      { person: 'p2', records: 3, customers: 2, party_uids: ['s.t:r3', 's.t:r4', 's.t:r7'] },
    ]);
    expect(e.households).toEqual({
      precision: expect.closeTo(1 / 3, 9),
      recall: 1,
      f1: expect.closeTo(0.5, 9),
      truePairs: 1,
      predictedPairs: 3,
    });
    const text = formatEvaluation(e);
    expect(text).toContain('pairwise                 precision 0.6000  recall 0.6000  F1 0.6000');
    expect(text).toContain('households (people)      precision 0.3333  recall 1.0000  F1 0.5000');
  });

  it('says which columns a truth file needs', async () => {
    const truth = path.join(dir.dir, 'bad.csv');
    writeFileSync(truth, 'uid,who\na,b\n');
    await expect(evaluateIdentity(wh, truth)).rejects.toThrow(
      `truth file ${truth} needs party_uid (or source, source_table, record_key) and one of person_id, entity_id, truth_id (has: uid, who)`,
    );
  });
});
