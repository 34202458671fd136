import type { Warehouse } from '../foundation/duckdb-client.ts';
import { singleValued, type Comparison } from './comparisons.ts';
import { comparisonSelectList, gammaColumn, tfColumn, tfLevels } from './comparison-sql.ts';
import { levelWeight, priorWeight, type Model } from './model.ts';
import { tfAdjustmentSql } from './score-pairs.ts';

/**
 * The model's weight of a pair as SQL over its level columns (`<alias>.g_<comparison>`): the
 * prior's weight plus each comparison's level weight (0 where a side is missing). Numbers of the
 * model are written into the SQL; they are the model's, never row values.
 */
export function levelWeightsSql(
  comparisons: readonly Comparison[],
  model: Pick<Model, 'prior' | 'params'>,
  alias = 'g',
): string {
  return [priorWeight(model.prior).toFixed(6), ...levelWeightTerms(comparisons, model, alias)].join(
    ' + ',
  );
}

/**
 * The strongest evidence against in a pair: its lowest level weight among the comparisons a
 * person has one value of (0 when none is negative); see `Comparison.multiValued`.
 */
export function lowestLevelWeightSql(
  comparisons: readonly Comparison[],
  model: Pick<Model, 'params'>,
  alias = 'g',
): string {
  return `least(0, ${levelWeightTerms(singleValued(comparisons), model, alias).join(', ')})`;
}

function levelWeightTerms(
  comparisons: readonly Comparison[],
  model: Pick<Model, 'params'>,
  alias: string,
): string[] {
  return comparisons.map((c) => {
    const whens = model.params
      .filter((p) => p.comparison === c.name)
      .map((p) => `WHEN ${p.level} THEN ${levelWeight(p).toFixed(6)}`);
    return whens.length === 0
      ? '0'
      : `(CASE ${alias}.${gammaColumn(c)} ${whens.join(' ')} ELSE 0 END)`;
  });
}

/**
 * Scores the pairs of `pairsSql` (columns `l`, `r`: rec_ids) like candidate pairs are scored —
 * levels, level weights, term-frequency adjustments — into the temp table `out(l, r, g_…,
 * match_weight, lowest_level_weight, evidence_weight)`; `evidence_weight` is the weight without
 * the prior: what the records themselves say (0 when they have nothing to compare). Needs `cmp_records` and the model tables of score-pairs.ts (`tf_u`).
 * `levels`, when given, is a table of pairs already compared (`l`, `r`, the level and
 * term-frequency columns of `pair_gammas`): its pairs take their levels from there instead of
 * being compared again (the same levels, the same scores: a tf column is read only at its level).
 */
export async function scoreArbitraryPairs(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  model: Model,
  pairsSql: string,
  out: string,
  levels?: string,
): Promise<void> {
  const compared = (pairs: string) => `SELECT p.l, p.r, ${comparisonSelectList(comparisons)}
    FROM ${pairs} p JOIN cmp_records l ON l.rec_id = p.l JOIN cmp_records r ON r.rec_id = p.r`;
  if (levels === undefined) {
    await wh.run(`CREATE OR REPLACE TEMP TABLE ${out}__g AS ${compared(`(${pairsSql})`)}`);
  } else {
    const known = [
      ...comparisons.map(gammaColumn),
      ...comparisons.flatMap((c) => tfLevels(c).map((t) => tfColumn(c, t.level))),
    ].map((col) => `k.${col}`);
    await wh.run(`CREATE OR REPLACE TEMP TABLE ${out}__p AS ${pairsSql}`);
    await wh.run(`CREATE OR REPLACE TEMP TABLE ${out}__g AS
      SELECT p.l, p.r, ${known.join(', ')} FROM ${out}__p p JOIN ${levels} k USING (l, r)
      UNION ALL BY NAME
      ${compared(`(SELECT l, r FROM ${out}__p ANTI JOIN ${levels} USING (l, r))`)}`);
    await wh.run(`DROP TABLE ${out}__p`);
  }
  await wh.run(`CREATE OR REPLACE TEMP TABLE ${out} AS
    SELECT g.l, g.r, ${comparisons.map((c) => `g.${gammaColumn(c)}`).join(', ')},
           ${levelWeightsSql(comparisons, model)} + ${tfAdjustmentSql(comparisons)} AS match_weight,
           ${lowestLevelWeightSql(comparisons, model)} AS lowest_level_weight,
           ${levelWeightTerms(comparisons, model, 'g').join(' + ')} + ${tfAdjustmentSql(comparisons)} AS evidence_weight
    FROM ${out}__g g CROSS JOIN tf_u tu`);
  await wh.run(`DROP TABLE ${out}__g`);
}
