import type { Warehouse } from '../warehouse/duckdb-client.ts';
import { comparisonSelectList, gammaColumn, gammaSql, type Comparison } from './comparisons.ts';

/**
 * Unites blocking pairs and deterministic candidates into `pair_gammas`: one row per pair
 * (l < r) with the rules that produced it (`rule_mask`, `first_rule`), the deterministic kinds
 * it shares (`det_mask`, and `det_shared` for values several given names hold), every comparison level and the term frequencies of shared values.
 */
export async function buildPairGammas(wh: Warehouse, comparisons: readonly Comparison[]): Promise<number> {
  await wh.run(`
    CREATE OR REPLACE TEMP TABLE cand AS
    SELECT l, r, bit_or(rule_mask) AS rule_mask, min(rule_no) AS first_rule, bit_or(det_mask) AS det_mask, bit_or(det_shared) AS det_shared
    FROM (
      SELECT l, r, 1::BIGINT << rule_no AS rule_mask, rule_no, 0::BIGINT AS det_mask, 0::BIGINT AS det_shared FROM block_pairs
      UNION ALL
      SELECT l, r, 0::BIGINT, NULL::TINYINT, det_mask, det_shared FROM det_pairs
    )
    GROUP BY l, r`);
  await wh.run('DROP TABLE IF EXISTS block_pairs');
  await wh.run(`
    CREATE OR REPLACE TEMP TABLE pair_gammas AS
    SELECT c.l, c.r, c.rule_mask, c.first_rule, c.det_mask, c.det_shared,
      ${comparisonSelectList(comparisons)}
    FROM cand c
    JOIN identity.records l ON l.rec_id = c.l
    JOIN identity.records r ON r.rec_id = c.r`);
  await wh.run('DROP TABLE IF EXISTS cand');
  return Number(await wh.scalar('SELECT count(*) FROM pair_gammas'));
}

/**
 * Levels of `count` record pairs drawn deterministically at random (the same records give
 * the same sample), into `random_gammas`. Nearly all random pairs are different people, so
 * level frequencies here estimate u.
 */
export async function buildRandomGammas(wh: Warehouse, comparisons: readonly Comparison[], count: number): Promise<number> {
  const n = Number(await wh.scalar('SELECT count(*) FROM identity.records'));
  // small warehouses need fewer draws; the configured count is the most ever drawn
  const total = Math.min(count, Math.max(100_000, n), (n * (n - 1)) / 2);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE random_gammas AS
     SELECT ${comparisons.map((c) => `${gammaSql(c)} AS ${gammaColumn(c)}`).join(', ')}
     FROM (SELECT (i % $1::BIGINT) + 1 AS a, (hash(i, 'cdw-u-sample') % $1::UBIGINT)::BIGINT + 1 AS b FROM range($2::BIGINT) t(i)) s
     JOIN identity.records l ON l.rec_id = s.a
     JOIN identity.records r ON r.rec_id = s.b
     WHERE s.a <> s.b`,
    [n, Math.max(0, Math.floor(total))],
  );
  return Number(await wh.scalar('SELECT count(*) FROM random_gammas'));
}
