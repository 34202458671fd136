import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { JobError } from '../../errors.ts';

/**
 * Selects the cross-sell pairs of marts.cross_sell, optionally for one product (matched on the
 * product or its category, ignoring case), into the temp table `cross_sell_list`; returns how
 * many rows and households.
 */
export async function buildCrossSell(
  wh: Queryable,
  product?: string,
): Promise<{ rows: number; households: number }> {
  if (!(await wh.tableExists('marts', 'cross_sell'))) {
    throw new JobError(
      'report_not_built',
      'marts.cross_sell does not exist yet; the marts step of "cdw run" builds it',
    );
  }
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE cross_sell_list AS
     SELECT household_id, product, product_category, customer_id, full_name, holders, holder_count, household_size
     FROM marts.cross_sell
     WHERE $1::VARCHAR IS NULL OR lower(product) = lower($1) OR lower(product_category) = lower($1)`,
    [product ?? null],
  );
  const r = await wh.one<{ rows: number; households: number }>(
    'SELECT count(*) AS rows, count(DISTINCT household_id) AS households FROM cross_sell_list',
  );
  return { rows: Number(r?.rows ?? 0), households: Number(r?.households ?? 0) };
}

export const CROSS_SELL_LIST_QUERY =
  'SELECT * FROM cross_sell_list ORDER BY household_id, product, customer_id';
