import { createHash } from 'node:crypto';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { type Comparison } from './comparisons.ts';
import {
  comparisonColumns,
  gammaColumn,
  gammaSql,
  levelColumns,
  tfColumn,
  tfLevels,
  tfSelectList,
} from './comparison-sql.ts';

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

/**
 * Version of the kept pair levels: the levels' SQL, the DuckDB that evaluates it and the shape
 * of the table (its term-frequency and weight columns).
 */
export async function pairLevelsVersion(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<string> {
  const duckdb = String(await wh.scalar('SELECT version()'));
  const levels = comparisons.map((c) => [c.name, gammaSql(c)]);
  const scores = [...tfNames(comparisons), 'match_weight', 'lowest_level_weight'];
  return createHash('md5').update(JSON.stringify({ duckdb, levels, scores })).digest('hex');
}

function tfNames(comparisons: readonly Comparison[]): string[] {
  return comparisons.flatMap((c) => tfLevels(c).map((t) => tfColumn(c, t.level)));
}

export interface PairGammasOutcome {
  /** Candidate pairs tonight. */
  readonly pairs: number;
  /** Of them, pairs whose levels were computed tonight (the rest were kept: same two records). */
  readonly compared: number;
}

/**
 * `pair_gammas`: every candidate pair (blocking and deterministic, `l < r`) with the rules that
 * made it, its identifier kinds and its levels. A pair's levels depend only on the two records'
 * level columns (`levelColumns`), so a pair whose records have the same values as when its
 * levels were kept (`identity.pair_levels`, by a hash of those values and of the values their
 * term frequencies are looked up by, `hashColumns`) takes the kept levels, and with them its
 * kept term frequencies and weights (`kept_pairs`; `scorePairs` is told whether those still
 * hold); only the others are compared. `reuse: false` (full refresh, no or outdated kept
 * levels) compares every pair. Either way the levels are the same; `rec_hash` (rec_id,
 * party_uid, h) stays for publish to keep tonight's levels. The tf and weight columns are NULL
 * where not kept: `scorePairs` fills them.
 */
export async function buildPairGammas(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  opts: { reuse: boolean; hashColumns: readonly string[] },
): Promise<PairGammasOutcome> {
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
  const cols = [...new Set([...levelColumns(comparisons), ...opts.hashColumns])].sort();
  const packed =
    cols.length === 0 ? "''" : `to_json(struct_pack(${cols.map(quoteIdent).join(', ')}))::VARCHAR`;
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE rec_hash AS SELECT rec_id, party_uid, md5(${packed}) AS h FROM id_records`,
  );
  const gammas = comparisons.map((c) => `${gammaSql(c)} AS ${gammaColumn(c)}`).join(', ');
  const names = comparisons.map((c) => gammaColumn(c));
  const scores = [...tfNames(comparisons), 'match_weight', 'lowest_level_weight'];
  const kept = opts.reuse && (await wh.tableExists('identity', 'pair_levels'));
  if (kept) {
    await wh.run(`
      CREATE OR REPLACE TEMP TABLE cand_levels AS
      WITH keyed AS (
        SELECT c.l, c.r, a.party_uid AS uid_l, b.party_uid AS uid_r, a.h AS h_l, b.h AS h_r
        FROM cand c JOIN rec_hash a ON a.rec_id = c.l JOIN rec_hash b ON b.rec_id = c.r)
      SELECT k.l, k.r, k.uid_l, k.uid_r, ${[...names, ...scores].map((n) => `p.${n}`).join(', ')}
      FROM keyed k JOIN identity.pair_levels p
        ON p.party_uid_l = k.uid_l AND p.party_uid_r = k.uid_r AND p.h_l = k.h_l AND p.h_r = k.h_r`);
  } else {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE cand_levels AS SELECT c.l, c.r, NULL::VARCHAR AS uid_l, NULL::VARCHAR AS uid_r, ${[
        ...names.map((n) => `NULL::TINYINT AS ${n}`),
        ...tfNames(comparisons).map((n) => `NULL::FLOAT AS ${n}`),
        'NULL::DOUBLE AS match_weight',
        'NULL::DOUBLE AS lowest_level_weight',
      ].join(', ')} FROM cand c WHERE false`,
    );
  }
  // the pairs that took kept levels: their rows of identity.pair_levels stay as they are
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE kept_pairs AS SELECT l, r, uid_l AS party_uid_l, uid_r AS party_uid_r FROM cand_levels',
  );
  const reused = Number(await wh.scalar('SELECT count(*) FROM cand_levels'));
  await wh.run(`
    INSERT INTO cand_levels BY NAME
    SELECT c.l, c.r, ${gammas}
    FROM (SELECT l, r FROM cand ANTI JOIN cand_levels USING (l, r)) c
    JOIN cmp_records l ON l.rec_id = c.l
    JOIN cmp_records r ON r.rec_id = c.r`);
  await wh.run(`
    CREATE OR REPLACE TEMP TABLE pair_gammas AS
    SELECT c.l, c.r, c.rule_mask, c.first_rule, c.det_mask, c.det_shared,
      ${[...names, ...scores].map((n) => `g.${n}`).join(', ')}
    FROM cand c
    JOIN cand_levels g USING (l, r)
    ORDER BY c.l, c.r`);
  await wh.run('DROP TABLE IF EXISTS cand; DROP TABLE IF EXISTS cand_levels');
  const pairs = Number(await wh.scalar('SELECT count(*) FROM pair_gammas'));
  return { pairs, compared: pairs - reused };
}

/**
 * SQL of the candidate pairs to score tonight, with their term frequencies from the records
 * (`cmp_records`): every pair of `pair_gammas`, or, with `keepScores` (tonight's frequencies and
 * model are those the kept pairs were scored with), only the pairs compared tonight — the kept
 * pairs (`kept_pairs`) keep their frequencies and weights. Weight columns are NULL here.
 */
export function unscoredPairsSql(
  comparisons: readonly Comparison[],
  opts: { keepScores: boolean },
): string {
  const names = comparisons.map((c) => `g.${gammaColumn(c)}`);
  const head = [
    'g.l',
    'g.r',
    'g.rule_mask',
    'g.first_rule',
    'g.det_mask',
    'g.det_shared',
    ...names,
  ];
  return `SELECT ${[
    ...head,
    ...tfSelectList(comparisons),
    'NULL::DOUBLE AS match_weight',
    'NULL::DOUBLE AS lowest_level_weight',
  ].join(', ')}
    FROM pair_gammas g ${opts.keepScores ? 'ANTI JOIN kept_pairs k USING (l, r)' : ''}
    JOIN cmp_records l ON l.rec_id = g.l JOIN cmp_records r ON r.rec_id = g.r`;
}

/**
 * In the publishing transaction: tonight's candidate pairs, their levels, term frequencies and
 * weights, with the hashes of their records' level columns, for the next night to reuse
 * (`buildPairGammas`); `scoredBy` names the training run whose model and frequencies scored
 * them. Over kept levels of the same version and model only the rows that changed are written:
 * the pairs that took their levels from there tonight (`kept_pairs`) keep their rows, the others
 * are written again.
 */
export async function keepPairLevels(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  version: string,
  scoredBy: string,
): Promise<void> {
  const names = [
    ...comparisons.map((c) => gammaColumn(c)),
    ...tfNames(comparisons),
    'match_weight',
    'lowest_level_weight',
  ]
    .map((n) => `g.${n}`)
    .join(', ');
  const rows = (
    pairs: string,
  ) => `SELECT a.party_uid AS party_uid_l, b.party_uid AS party_uid_r, a.h AS h_l, b.h AS h_r, ${names}
    FROM ${pairs} g JOIN rec_hash a ON a.rec_id = g.l JOIN rec_hash b ON b.rec_id = g.r`;
  if (
    (await pairLevelsScoredBy(wh, version)) !== scoredBy ||
    !(await wh.tableExists('identity', 'pair_levels'))
  ) {
    await wh.run(
      `CREATE OR REPLACE TABLE identity.pair_levels AS ${rows('pair_gammas')} ORDER BY 1, 2`,
    );
    await wh.run(
      'CREATE OR REPLACE TABLE identity.pair_levels_version (version VARCHAR NOT NULL, scored_by VARCHAR NOT NULL)',
    );
    await wh.run('INSERT INTO identity.pair_levels_version VALUES ($1, $2)', [version, scoredBy]);
    return;
  }
  await wh.run(`DELETE FROM identity.pair_levels p WHERE NOT EXISTS (SELECT 1 FROM kept_pairs k
    WHERE k.party_uid_l = p.party_uid_l AND k.party_uid_r = p.party_uid_r)`);
  await wh.run(
    `INSERT INTO identity.pair_levels ${rows('(SELECT * FROM pair_gammas ANTI JOIN kept_pairs USING (l, r))')}`,
  );
}

/**
 * The training run whose model scored the kept pair levels, when they were computed by this
 * version of the levels (undefined: none kept, or of another version, or kept before weights were).
 */
export async function pairLevelsScoredBy(
  wh: Warehouse,
  version: string,
): Promise<string | undefined> {
  if (!(await wh.tableExists('identity', 'pair_levels_version'))) return undefined;
  const cols = await wh.all<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'identity' AND table_name = 'pair_levels_version'`,
  );
  if (!cols.some((c) => c.name === 'scored_by')) return undefined;
  const row = await wh.one<{ version: string; scored_by: string }>(
    'SELECT version, scored_by FROM identity.pair_levels_version LIMIT 1',
  );
  return row?.version === version ? row.scored_by : undefined;
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
