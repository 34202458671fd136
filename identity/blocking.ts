import { CdwError, errorMessage } from '../jobs/errors.ts';
import type { Logger } from '../jobs/logger.ts';
import type { Warehouse } from '../warehouse/duckdb-client.ts';
import type { BlockingRule } from './blocking-rules.ts';

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
 * cannot take the run down.
 */
export async function runBlockingRules(wh: Warehouse, rules: readonly BlockingRule[], maxPairs: number, logger: Logger): Promise<BlockingOutcome[]> {
  await wh.run('CREATE OR REPLACE TEMP TABLE block_pairs (l INTEGER NOT NULL, r INTEGER NOT NULL, rule_no TINYINT NOT NULL)');
  const outcomes: BlockingOutcome[] = [];
  for (const rule of rules) {
    const keys = rule.keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const notNull = rule.keys.map((_, i) => `k${i} IS NOT NULL`).join(' AND ');
    const hashed = rule.keys.map((_, i) => `k${i}`).join(', ');
    try {
      await wh.run(
        `CREATE OR REPLACE TEMP TABLE block_keys AS SELECT DISTINCT rec_id, hash(${hashed}) AS k FROM (SELECT rec_id, ${keys} FROM identity.records) WHERE ${notNull}`,
      );
    } catch (err) {
      throw new CdwError('config_invalid', `identity.blocking_rules[${rule.no}] "${rule.text}" cannot be evaluated over identity.records: ${errorMessage(err).split('\n')[0]}`, { cause: err });
    }
    const stats = await wh.one<{ pairs: number | string | null; largest: number | null }>(
      'SELECT sum(n * (n - 1) / 2)::BIGINT AS pairs, max(n)::BIGINT AS largest FROM (SELECT count(*) AS n FROM block_keys GROUP BY k)',
    );
    const pairsCounted = Number(stats?.pairs ?? 0);
    const largestBlock = Number(stats?.largest ?? 0);
    if (pairsCounted > maxPairs) {
      const message = `blocking rule ${rule.no} "${rule.text}" would make ${pairsCounted.toLocaleString('en-US')} pairs (largest block ${largestBlock.toLocaleString('en-US')} records), over identity.max_pairs_per_rule ${maxPairs.toLocaleString('en-US')}; skipped — make the rule stricter (add a key with "&") or raise the limit`;
      logger.warn(message);
      outcomes.push({ rule, pairsCounted, largestBlock, status: 'skipped', message });
      continue;
    }
    await wh.run(
      `INSERT INTO block_pairs SELECT a.rec_id, b.rec_id, ${rule.no} FROM block_keys a JOIN block_keys b ON a.k = b.k AND a.rec_id < b.rec_id`,
    );
    outcomes.push({ rule, pairsCounted, largestBlock, status: 'built', message: null });
  }
  await wh.run('DROP TABLE IF EXISTS block_keys');
  return outcomes;
}
