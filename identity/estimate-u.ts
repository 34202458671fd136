import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { type Comparison } from './comparisons.ts';
import { gammaColumn } from './comparison-sql.ts';
import { priorWeight } from './model.ts';

/** comparison → level → u */
export type UTable = ReadonlyMap<string, ReadonlyMap<number, number>>;

/** What the random pairs are weighed with: a model's m and u per level, and its prior. */
export interface MatchWeights {
  readonly prior: number;
  readonly m: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly u: UTable;
}

/**
 * u per level from `random_gammas`: the share of random pairs (with both sides present) on
 * each level, with half a pair added to every level so an unseen level is rare, not impossible.
 *
 * Random pairs are nearly all non-matches, but not all: in a small or heavily duplicated
 * source (four records a person in a thousand) one random pair in three hundred is a match,
 * and those matches are most of the pairs that agree on an e-mail or a full name, so u of an
 * exact level comes out tens of times too high. Given a model, each random pair counts with
 * the probability that it is *not* a match under that model, so u is the level frequency
 * among non-matches it is meant to be.
 */
export async function estimateU(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  weights?: MatchWeights,
): Promise<UTable> {
  let weight = '1.0';
  if (weights !== undefined) {
    // each comparison's level weights as a CASE over the pair's level (numbers of the model)
    const terms = comparisons.map((cmp) => {
      const whens = cmp.levels.flatMap((lv) => {
        const m = weights.m.get(cmp.name)?.get(lv.level);
        const u = weights.u.get(cmp.name)?.get(lv.level);
        return m === undefined || u === undefined
          ? []
          : [`WHEN ${lv.level} THEN ${Math.log2(m / u).toFixed(6)}`];
      });
      return whens.length === 0
        ? '0'
        : `(CASE g.${gammaColumn(cmp)} ${whens.join(' ')} ELSE 0 END)`;
    });
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE random_weighted AS
       SELECT g.*, 1 - 1 / (1 + pow(2, -greatest(least(${priorWeight(weights.prior)} + ${terms.join(' + ')}, 1000), -1000))) AS non_match
       FROM random_gammas g`,
    );
    weight = 'non_match';
  }
  const from = weights === undefined ? 'random_gammas' : 'random_weighted';
  const selects = comparisons.map(
    (c) =>
      `SELECT ${quoteLiteral(c.name)} AS comparison, ${gammaColumn(c)}::INTEGER AS level, sum(${weight})::DOUBLE AS n FROM ${from} WHERE ${gammaColumn(c)} >= 0 GROUP BY 2`,
  );
  const rows = await wh.all<{ comparison: string; level: number; n: number }>(
    selects.join(' UNION ALL '),
  );
  await wh.run('DROP TABLE IF EXISTS random_weighted');
  const out = new Map<string, Map<number, number>>();
  for (const c of comparisons) {
    const counts = new Map(
      rows.filter((r) => r.comparison === c.name).map((r) => [r.level, Number(r.n)]),
    );
    const total = c.levels.reduce((s, lv) => s + (counts.get(lv.level) ?? 0) + 0.5, 0);
    out.set(
      c.name,
      new Map(c.levels.map((lv) => [lv.level, ((counts.get(lv.level) ?? 0) + 0.5) / total])),
    );
  }
  return out;
}
