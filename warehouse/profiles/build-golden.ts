import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { goldenSql } from './golden-sql.ts';
import { lineageRows } from './history-holes.ts';
import { profilesSql } from './sql-file.ts';
import type { GroupRule } from './survivorship.ts';

/** Runs one statement of the customers unit, timed in the debug log. */
export type RunStep = (
  label: string,
  sql: string,
  params?: Parameters<Warehouse['run']>[1],
) => Promise<void>;

/** Customers whose golden records are built at once: bounds memory whatever the size. */
export const CUSTOMERS_PER_BATCH = 250_000;

/**
 * Builds tonight's golden records of the customers in scope into `profiles_golden` (and rewrites the lineage of the
 * customers whose lineage fingerprint changed), a batch of customers at a time: survivorship
 * states and the wide per-record table do not spill to disk, so a million customers at once
 * would need gigabytes. `profiles_unstable`: customers whose winners would differ tomorrow on the
 * same records (see golden-sql.ts). Needs the temp tables `profiles_ctx`, `profiles_rules`,
 * `profiles_priority`, `profiles_held`, `profiles_prev_seen` and `profiles_scope` (the customers
 * built tonight: customer-scope.ts).
 */
export async function buildGolden(
  wh: Warehouse,
  rules: readonly GroupRule[],
  withHouseholds: boolean,
  step: RunStep,
): Promise<void> {
  const sql = goldenSql(rules, withHouseholds);
  const customers = Number(await wh.scalar('SELECT count(*) FROM profiles_scope'));
  const batches = Math.max(1, Math.ceil(customers / CUSTOMERS_PER_BATCH));
  // What the history needs of a golden record; rids and load refs only serve the lineage.
  const lineageOnly = sql.lineageOnly.join(', ');
  for (let b = 0; b < batches; b++) {
    const of = batches === 1 ? '' : ` ${b + 1}/${batches}`;
    await step(`records${of}`, sql.rec, [batches, b]);
    await step(`key winners${of}`, sql.keys);
    await step(`survivorship${of}`, sql.winners);
    await step(`golden records${of}`, sql.golden);
    await step(`lineage${of}`, profilesSql('rebuild-lineage', { lineage_rows: lineageRows() }));
    await step(`stable${of}`, sql.unstable);
    await wh.run(
      b === 0
        ? 'CREATE OR REPLACE TEMP TABLE profiles_unstable AS FROM profiles_unstable_batch'
        : 'INSERT INTO profiles_unstable FROM profiles_unstable_batch',
    );
    const into =
      b === 0 ? 'CREATE OR REPLACE TEMP TABLE profiles_golden AS' : 'INSERT INTO profiles_golden';
    await step(
      `collect${of}`,
      `${into} SELECT * EXCLUDE (${lineageOnly}) FROM profiles_golden_batch`,
    );
  }
  await wh.run(
    'DROP TABLE IF EXISTS profiles_rec; DROP TABLE IF EXISTS profiles_keys; DROP TABLE IF EXISTS profiles_winners; DROP TABLE IF EXISTS profiles_golden_batch; DROP TABLE IF EXISTS profiles_unstable_batch',
  );
}
