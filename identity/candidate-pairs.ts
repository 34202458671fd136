import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { type Comparison } from './comparisons.ts';
import {
  comparisonColumns,
  comparisonSelectList,
  gammaColumn,
  gammaSql,
} from './comparison-sql.ts';

/**
 * Unites blocking pairs and deterministic candidates into `pair_gammas`: one row per pair
 * (l < r) with the rules that produced it (`rule_mask`, `first_rule`), the deterministic kinds
 * it shares (`det_mask`, and `det_shared` for values several given names hold), every comparison level and the term frequencies of shared values.
 */
/** `cmp_records`: id_records cut down to the columns the comparisons read (smaller hash tables). */
export async function buildComparisonRecords(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<void> {
  const cols = comparisonColumns(comparisons).map(quoteIdent).join(', ');
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE cmp_records AS SELECT rec_id, ${cols} FROM id_records`,
  );
}

export async function buildPairGammas(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<number> {
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
    JOIN cmp_records l ON l.rec_id = c.l
    JOIN cmp_records r ON r.rec_id = c.r`);
  await wh.run('DROP TABLE IF EXISTS cand');
  return Number(await wh.scalar('SELECT count(*) FROM pair_gammas'));
}

/**
 * Levels of about `count` random record pairs into `random_gammas`. Nearly all random pairs are
 * different people, so level frequencies here estimate u. Records are shuffled by a hash of
 * their party_uid and each is paired with the next k in that order: the same records give the
 * same sample, and a night that adds a few records changes only a few pairs (so u, and with it
 * the decisions near the threshold, do not wobble from night to night).
 */
export async function buildRandomGammas(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  count: number,
): Promise<number> {
  const n = Number(await wh.scalar('SELECT count(*) FROM id_records'));
  // small warehouses need fewer draws; the configured count is the most ever drawn
  const target = Math.min(count, Math.max(100_000, n));
  const k = Math.max(1, Math.min(Math.ceil(target / Math.max(n, 1)), n - 1));
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE random_ids AS
     WITH shuffled AS (SELECT rec_id, row_number() OVER (ORDER BY hash(party_uid, 'cdw-u-sample'), party_uid) AS pos FROM id_records),
     wanted AS (SELECT s.rec_id AS a, s.pos + j.j AS partner_pos FROM shuffled s CROSS JOIN range(1, $1::BIGINT + 1) j(j) WHERE s.pos <= $2)
     SELECT w.a, s.rec_id AS b FROM wanted w JOIN shuffled s ON s.pos = w.partner_pos`,
    [k, Math.ceil(target / k)],
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE random_gammas AS
     SELECT ${comparisons.map((c) => `${gammaSql(c)} AS ${gammaColumn(c)}`).join(', ')}
     FROM random_ids s JOIN cmp_records l ON l.rec_id = s.a JOIN cmp_records r ON r.rec_id = s.b`,
  );
  await wh.run('DROP TABLE random_ids');
  return Number(await wh.scalar('SELECT count(*) FROM random_gammas'));
}
