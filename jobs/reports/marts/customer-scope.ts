import { tablesIn, type Warehouse } from '../../../foundation/duckdb-client.ts';
import { renderSql } from '../../../foundation/sql-template.ts';
import { reportSql } from '../sql-file.ts';
import {
  digest,
  lastFingerprint,
  martsSqlVersion,
  recordFingerprint,
  rowWithoutRunColumns,
  tableFingerprint,
} from '../mart-state.ts';

/** The tables of the customer_360 unit, in build order, each one row set per customer. */
export const CUSTOMER_TABLES = [
  'customer_systems',
  'customer_products',
  'customer_revenue',
  'customer_revenue_by_currency',
  'customer_contacts',
  'customer_contact_channels',
  'customer_household_members',
  'customer_360',
] as const;

/** Which customers tonight rebuilds, and why. */
export interface CustomerScope {
  /** every customer (first build, full refresh, new mart SQL or settings) */
  readonly whole: boolean;
  readonly customers: number;
  readonly why: string;
  /** what the unit was built from once this scope is built (dependent marts compare it) */
  readonly fingerprint: string;
}

/**
 * The customers whose marts must be rebuilt, in the temp table `mart_scope(customer_id)`.
 *
 * Each customer's inputs are fingerprinted (`customer-inputs.sql`) and compared with the
 * fingerprints of the last build (`meta.customer_360_inputs`): a customer is rebuilt when theirs
 * differ — whatever wrote the change — and so is everyone in a household (then or now) with such a
 * customer, since a member's name, role and products are part of each other's 360. What is the
 * same for every customer (the mart SQL, the complaint window, the systems of the sources) is
 * one global fingerprint: when it changes, everyone is rebuilt.
 */
export async function customerScope(
  wh: Warehouse,
  asOf: Date,
  complaintDays: number,
  fullRefresh: boolean,
): Promise<CustomerScope> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.customer_360_inputs (customer_id BIGINT, n BIGINT, fp HUGEINT, household_id BIGINT)`,
  );
  await wh.run(
    renderSql(reportSql('marts/customer-inputs.sql'), {
      sql: {
        customer_row: await rowWithoutRunColumns(wh, 'core.dim_customer'),
        household_row: await rowWithoutRunColumns(wh, 'core.dim_household'),
      },
    }),
    [asOf.toISOString(), complaintDays],
  );
  const global = digest({
    sql: martsSqlVersion(),
    complaintDays,
    sourceTables: await tableFingerprint(wh, 'marts.source_tables'),
  });
  const perCustomer = String(
    await wh.scalar(
      `SELECT coalesce(sum(hash(customer_id, n, fp)), 0)::VARCHAR FROM mart_customer_inputs_now`,
    ),
  );
  const fingerprint = digest({ global, perCustomer });
  const why = await wholeBecause(wh, fullRefresh, global);
  if (why !== undefined) {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE mart_scope AS SELECT customer_id FROM mart_customer_inputs_now`,
    );
    return {
      whole: true,
      customers: await count(wh),
      why,
      fingerprint: `${global}:${fingerprint}`,
    };
  }
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE mart_scope_changed AS
     SELECT DISTINCT customer_id FROM (
       (SELECT customer_id, n, fp FROM mart_customer_inputs_now
        EXCEPT SELECT customer_id, n, fp FROM meta.customer_360_inputs)
       UNION ALL
       (SELECT customer_id, n, fp FROM meta.customer_360_inputs
        EXCEPT SELECT customer_id, n, fp FROM mart_customer_inputs_now))`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE mart_scope AS
     WITH households AS (
       SELECT household_id FROM mart_customer_inputs_now WHERE customer_id IN (FROM mart_scope_changed)
       UNION SELECT household_id FROM meta.customer_360_inputs WHERE customer_id IN (FROM mart_scope_changed)
     )
     SELECT customer_id FROM mart_scope_changed
     UNION SELECT customer_id FROM mart_customer_inputs_now WHERE household_id IN (FROM households)
     UNION SELECT customer_id FROM meta.customer_360_inputs WHERE household_id IN (FROM households)`,
  );
  const customers = await count(wh);
  return {
    whole: false,
    customers,
    why: `incremental: ${customers} customers rebuilt`,
    fingerprint: `${global}:${fingerprint}`,
  };
}

/** Why every customer is rebuilt tonight, or undefined when only the changed ones are. */
async function wholeBecause(
  wh: Warehouse,
  fullRefresh: boolean,
  global: string,
): Promise<string | undefined> {
  if (fullRefresh) return 'rebuilt whole: full refresh';
  const last = await lastFingerprint(wh, 'customer_360');
  if (last === undefined) return 'rebuilt whole: first built from what changed';
  if (!last.startsWith(`${global}:`))
    return 'rebuilt whole: the mart SQL, settings or source systems changed';
  const marts = await tablesIn(wh, 'marts');
  for (const t of CUSTOMER_TABLES) if (!marts.has(t)) return `rebuilt whole: marts.${t} is missing`;
  return undefined;
}

async function count(wh: Warehouse): Promise<number> {
  return Number(await wh.scalar('SELECT count(*) FROM mart_scope'));
}

/**
 * After the scoped build (in its transaction): the fingerprints it was built from, so the next
 * night compares with them, and the unit's fingerprint for the marts that depend on it.
 */
export async function recordCustomerInputs(wh: Warehouse, scope: CustomerScope): Promise<void> {
  await wh.run(
    'CREATE OR REPLACE TABLE meta.customer_360_inputs AS SELECT customer_id, n, fp, household_id FROM mart_customer_inputs_now',
  );
  await recordFingerprint(wh, 'customer_360', scope.fingerprint);
}
