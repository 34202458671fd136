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
  readonly status: 'built' | 'skipped';
  readonly message: string | null;
}

/**
 * Runs the blocking rules into the temp table `block_pairs(l, r, rule_no)` (l < r, one row per
 * rule that pairs them). The pairs of each rule are counted from block sizes before any is
 * built; a rule over `maxPairs` is skipped with a message naming it, so one careless rule
 * cannot take the run down. Blocks over `maxBlockSize` records are left out (and said so).
 */
export async function runBlockingRules(
  wh: Warehouse,
  rules: readonly BlockingRule[],
  limits: { maxPairs: number; maxBlockSize: number },
  logger: Logger,
): Promise<BlockingOutcome[]> {
  const maxPairs = limits.maxPairs;
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE block_pairs (l INTEGER NOT NULL, r INTEGER NOT NULL, rule_no TINYINT NOT NULL)',
  );
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
    // a block bigger than maxBlockSize is a placeholder or a shared value ("test@test.com", a
    // switchboard), not a neighbourhood: it is left out rather than paired with itself
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE block_sizes AS SELECT k, count(*) AS n FROM block_keys GROUP BY k',
    );
    const stats = await wh.one<{
      pairs: number | string | null;
      largest: number | null;
      big: number;
      big_records: number | null;
    }>(
      `SELECT sum(n * (n - 1) / 2) FILTER (WHERE n <= $1)::BIGINT AS pairs, max(n) FILTER (WHERE n <= $1)::BIGINT AS largest,
              count(*) FILTER (WHERE n > $1) AS big, sum(n) FILTER (WHERE n > $1)::BIGINT AS big_records FROM block_sizes`,
      [limits.maxBlockSize],
    );
    const pairsCounted = Number(stats?.pairs ?? 0);
    const largestBlock = Number(stats?.largest ?? 0);
    const big = Number(stats?.big ?? 0);
    const leftOut =
      big === 0
        ? null
        : `left out ${big} block${big === 1 ? '' : 's'} of more than ${limits.maxBlockSize} records (${Number(stats?.big_records ?? 0)} records)`;
    if (big > 0) {
      await wh.run('DELETE FROM block_keys WHERE k IN (SELECT k FROM block_sizes WHERE n > $1)', [
        limits.maxBlockSize,
      ]);
    }
    if (pairsCounted > maxPairs) {
      const message = `blocking rule ${rule.no} "${rule.text}" would make ${pairsCounted.toLocaleString('en-US')} pairs (largest block ${largestBlock.toLocaleString('en-US')} records), over identity.max_pairs_per_rule ${maxPairs.toLocaleString('en-US')}; skipped — make the rule stricter (add a key with "&") or raise the limit`;
      logger.warn(message);
      outcomes.push({ rule, pairsCounted, largestBlock, status: 'skipped', message });
      continue;
    }
    await wh.run(
      `INSERT INTO block_pairs SELECT a.rec_id, b.rec_id, ${rule.no} FROM block_keys a JOIN block_keys b ON a.k = b.k AND a.rec_id < b.rec_id`,
    );
    outcomes.push({ rule, pairsCounted, largestBlock, status: 'built', message: leftOut });
  }
  await wh.run('DROP TABLE IF EXISTS block_keys; DROP TABLE IF EXISTS block_sizes');
  return outcomes;
}
