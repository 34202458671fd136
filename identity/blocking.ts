import { errorMessage } from '../foundation/errors.ts';
import type { Logger } from '../foundation/logger.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import type { BlockingRule } from './blocking-rules.ts';
import { IdentityError } from './errors.ts';

/** What one blocking rule did in a run (also stored in identity.blocking_stats). */
export interface BlockingOutcome {
  readonly rule: BlockingRule;
  readonly pairsCounted: number;
  readonly largestBlock: number;
  /**
   * The largest block size the rule kept: `maxBlockSize`, or less where the rule's pairs per
   * record would pass `maxPairsPerRecord` (its most frequent values left out first).
   */
  readonly blockCap: number;
  readonly status: 'built' | 'skipped';
  readonly message: string | null;
}

/**
 * Runs the blocking rules into the temp table `block_pairs(l, r, rule_no)` (l < r, one row per
 * rule that pairs them). The pairs of each rule are counted from block sizes before any is
 * built; a rule over `maxPairs` is skipped with a message naming it, so one careless rule
 * cannot take the run down. Blocks over the rule's block cap are left out (and said so): the cap
 * is `maxBlockSize`, or smaller where the rule would pair more than `maxPairsPerRecord` per
 * record (`blockCapFor`).
 */
export async function runBlockingRules(
  wh: Warehouse,
  rules: readonly BlockingRule[],
  limits: { maxPairs: number; maxBlockSize: number; maxPairsPerRecord: number },
  logger: Logger,
): Promise<BlockingOutcome[]> {
  const maxPairs = limits.maxPairs;
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE block_pairs (l INTEGER NOT NULL, r INTEGER NOT NULL, rule_no TINYINT NOT NULL)',
  );
  const records = Number(await wh.scalar('SELECT count(*) FROM id_records'));
  const outcomes: BlockingOutcome[] = [];
  for (const rule of rules) {
    const keys = rule.keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const notNull = rule.keys.map((_, i) => `k${i} IS NOT NULL`).join(' AND ');
    const hashed = rule.keys.map((_, i) => `k${i}`).join(', ');
    try {
      await wh.run(
        `CREATE OR REPLACE TEMP TABLE block_keys AS SELECT DISTINCT rec_id, hash(${hashed}) AS k FROM (SELECT rec_id, ${keys} FROM id_records) WHERE ${notNull}`,
      );
    } catch (err) {
      throw new IdentityError(
        'config_invalid',
        `blocking rule ${rule.no} "${rule.text}" cannot be evaluated over the prepared records: ${errorMessage(err).split('\n')[0]}`,
        { cause: err },
      );
    }
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE block_sizes AS SELECT k, count(*) AS n FROM block_keys GROUP BY k',
    );
    const cap = await blockCapFor(wh, limits.maxBlockSize, limits.maxPairsPerRecord * records);
    const stats = await wh.one<{
      pairs: number | string | null;
      largest: number | null;
      big: number;
      big_records: number | null;
    }>(
      `SELECT sum(n * (n - 1) / 2) FILTER (WHERE n <= $1)::BIGINT AS pairs, max(n) FILTER (WHERE n <= $1)::BIGINT AS largest,
              count(*) FILTER (WHERE n > $1) AS big, sum(n) FILTER (WHERE n > $1)::BIGINT AS big_records FROM block_sizes`,
      [cap],
    );
    const pairsCounted = Number(stats?.pairs ?? 0);
    const largestBlock = Number(stats?.largest ?? 0);
    const big = Number(stats?.big ?? 0);
    const leftOut =
      big === 0
        ? null
        : `left out ${big} block${big === 1 ? '' : 's'} of more than ${cap} records (${Number(stats?.big_records ?? 0)} records)${
            cap < limits.maxBlockSize
              ? `: the rule's most frequent values, over ${limits.maxPairsPerRecord} pairs per record (identity.max_pairs_per_record)`
              : ''
          }`;
    if (big > 0) {
      await wh.run('DELETE FROM block_keys WHERE k IN (SELECT k FROM block_sizes WHERE n > $1)', [
        cap,
      ]);
    }
    if (pairsCounted > maxPairs) {
      const message = `blocking rule ${rule.no} "${rule.text}" would make ${pairsCounted.toLocaleString('en-US')} pairs (largest block ${largestBlock.toLocaleString('en-US')} records), over identity.max_pairs_per_rule ${maxPairs.toLocaleString('en-US')}; skipped — make the rule stricter (add a key with "&") or raise the limit`;
      logger.warn(message);
      outcomes.push({
        rule,
        pairsCounted,
        largestBlock,
        blockCap: cap,
        status: 'skipped',
        message,
      });
      continue;
    }
    await wh.run(
      `INSERT INTO block_pairs SELECT a.rec_id, b.rec_id, ${rule.no} FROM block_keys a JOIN block_keys b ON a.k = b.k AND a.rec_id < b.rec_id`,
    );
    outcomes.push({
      rule,
      pairsCounted,
      largestBlock,
      blockCap: cap,
      status: 'built',
      message: leftOut,
    });
  }
  await wh.run('DROP TABLE IF EXISTS block_keys; DROP TABLE IF EXISTS block_sizes');
  return outcomes;
}

/**
 * The largest block size a rule keeps (over `block_sizes`). A block bigger than `maxBlockSize`
 * is a placeholder or a shared value ("test@test.com", a switchboard), not a neighbourhood.
 * Below that, a value held by n records makes n(n-1)/2 pairs of which about n × (records per
 * person − 1) / 2 are true: the more records share a value, the less agreeing on it says (its u
 * is its frequency). Where a rule's blocks together pair more than `pairBudget` (pairs per
 * record × records), the most frequent values are left out first — whole sizes at a time, so
 * the cap does not depend on the order of records — until the rest fit. Pairs then grow with
 * records, not with their square, whatever the data's value distribution.
 */
async function blockCapFor(
  wh: Warehouse,
  maxBlockSize: number,
  pairBudget: number,
): Promise<number> {
  if (!Number.isFinite(pairBudget)) return maxBlockSize;
  const r = await wh.one<{ cap: number | null; pairs: number | null }>(
    `SELECT max(n) FILTER (WHERE pairs_upto <= $2)::BIGINT AS cap, max(pairs_upto)::DOUBLE AS pairs FROM (
       SELECT n, sum(sum(n * (n - 1) / 2)) OVER (ORDER BY n) AS pairs_upto
       FROM block_sizes WHERE n <= $1 GROUP BY n)`,
    [maxBlockSize, pairBudget],
  );
  if (r?.pairs === null || r?.pairs === undefined || Number(r.pairs) <= pairBudget)
    return maxBlockSize;
  return Number(r.cap ?? 1);
}
