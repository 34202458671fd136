import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent, quoteLiteral } from '../foundation/sql.ts';
import { singleValued, type Comparison } from './comparisons.ts';
import { gammaColumn, patternKeySql, tfColumn, tfLevels } from './comparison-sql.ts';
import { levelWeight, priorWeight, type Model } from './model.ts';
import { unscoredPairsSql } from './candidate-pairs.ts';

/** Loads the model into temp tables `model_levels` and `tf_u` (u at each tf-adjusted level). */
export async function loadModelTables(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  model: Model,
): Promise<void> {
  const p = model.params;
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE model_levels AS
     SELECT unnest($1::VARCHAR[]) AS comparison, unnest($2::TINYINT[]) AS level, unnest($3::DOUBLE[]) AS m,
            unnest($4::DOUBLE[]) AS u, unnest($5::DOUBLE[]) AS weight`,
    [
      listValue(p.map((x) => x.comparison)),
      listValue(p.map((x) => x.level)),
      listValue(p.map((x) => x.m)),
      listValue(p.map((x) => x.u)),
      listValue(p.map(levelWeight)),
    ],
  );
  const cols: string[] = [];
  const values: number[] = [];
  for (const c of comparisons) {
    for (const t of tfLevels(c)) {
      const u = p.find((x) => x.comparison === c.name && x.level === t.level)?.u ?? 1;
      cols.push(`$${values.length + 1}::DOUBLE AS ${quoteIdent(uColumn(c, t.level))}`);
      values.push(u);
    }
  }
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE tf_u AS SELECT ${cols.length > 0 ? cols.join(', ') : '1 AS none'}`,
    values,
  );
}

function uColumn(c: Comparison, level: number): string {
  return `u_${c.name}_${level}`;
}

/** SQL adding the term-frequency adjustments of a pair (columns of `g`, u from `tu`). */
export function tfAdjustmentSql(comparisons: readonly Comparison[], g = 'g', tu = 'tu'): string {
  const parts = comparisons.flatMap((c) =>
    tfLevels(c).map(
      (t) =>
        `CASE WHEN ${g}.${gammaColumn(c)} = ${t.level} AND ${g}.${tfColumn(c, t.level)} > 0 THEN log2(${tu}.${quoteIdent(uColumn(c, t.level))}) - log2(${g}.${tfColumn(c, t.level)}) ELSE 0 END`,
    ),
  );
  return parts.length === 0 ? '0' : parts.join(' + ');
}

/** Candidate pairs scoring under this weight (p < 0.001) that share no identifier are not kept. */
export const KEEP_PAIR_WEIGHT = -10;

/**
 * Scores the candidate pairs that have no kept weight (those compared tonight, or all unless
 * `keepScores`: see `unscoredPairsSql`): prior weight + level weights (looked up once per level
 * pattern) + term-frequency adjustments, into `pair_gammas` (with their term frequencies,
 * `match_weight` and `lowest_level_weight`); the pairs that kept theirs are not scored again
 * (same levels, same frozen frequencies, same model: the same weight). Writes the temp table
 * `scored_pairs` with match_weight and match_probability, keeping the pairs that could ever
 * matter (weight >= KEEP_PAIR_WEIGHT or a shared identifier); publish.ts keeps those of
 * probability >= 0.5 or sharing an identifier as identity.pairs. Returns the pairs scored.
 */
export async function scorePairs(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  model: Model,
  opts: { keepScores: boolean },
): Promise<number> {
  await loadModelTables(wh, comparisons, model);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE pattern_weights AS
     SELECT pl.pattern, $1::DOUBLE + sum(CASE WHEN pl.level >= 0 THEN ml.weight ELSE 0 END) AS w,
            least(0, min(CASE WHEN pl.level >= 0 AND pl.comparison IN (${['', ...singleValued(comparisons).map((c) => c.name)].map(quoteLiteral).join(', ')}) THEN ml.weight END)) AS lo
     FROM pattern_levels pl LEFT JOIN model_levels ml ON ml.comparison = pl.comparison AND ml.level = pl.level
     GROUP BY pl.pattern`,
    [priorWeight(model.prior)],
  );
  const kept = opts.keepScores ? Number(await wh.scalar('SELECT count(*) FROM kept_pairs')) : 0;
  await wh.run(`
    CREATE OR REPLACE TEMP TABLE pair_gammas AS
    ${opts.keepScores ? 'SELECT g.* FROM pair_gammas g SEMI JOIN kept_pairs k USING (l, r) UNION ALL BY NAME' : ''}
    SELECT g.* REPLACE (pw.w + ${tfAdjustmentSql(comparisons)} AS match_weight, coalesce(pw.lo, 0) AS lowest_level_weight)
    FROM (${unscoredPairsSql(comparisons, opts)}) g
    JOIN pattern_weights pw ON pw.pattern = ${patternKeySql(comparisons, 'g.')}
    CROSS JOIN tf_u tu
    ORDER BY l, r`);
  await wh.run(`
    CREATE OR REPLACE TEMP TABLE scored_pairs AS
    SELECT l, r, rule_mask, det_mask, det_shared, ${comparisons.map(gammaColumn).join(', ')}, match_weight, lowest_level_weight,
           1 / (1 + pow(2, -greatest(least(match_weight, 1000), -1000))) AS match_probability
    FROM pair_gammas
    WHERE match_weight >= ${KEEP_PAIR_WEIGHT} OR det_mask <> 0`);
  return Number(await wh.scalar('SELECT count(*) FROM pair_gammas')) - kept;
}
