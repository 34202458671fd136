import { createHash } from 'node:crypto';
import { codeVersion } from '../../foundation/code-version.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { RunStep } from './build-golden.ts';

/**
 * Which customers tonight's customers unit rebuilds, into `profiles_scope(customer_id)`.
 *
 * A customer's golden record, lineage and history are a function of its inputs: its party
 * records (every column: values, dates, source, load), which records are its (core.customer_xref:
 * merges, splits, overrides), its household, and the rules and code of this step. The inputs of
 * each customer are fingerprinted (`profiles_inputs_now`) and compared with the fingerprints
 * stored when it was last built (`meta.profile_inputs`), so any writer of staging, identity or
 * households is seen, whoever it was. In scope: every customer whose fingerprint differs or is
 * new or gone (a retired id, a vanished customer), those identity re-clustered in this run, those
 * the shrink guard holds and those whose winners were not stable (neither has a fingerprint
 * stored: golden-sql.ts),
 * and those whose current version is not the one stored with the fingerprint (another writer of
 * the history) or has no fingerprint. Everything is in scope on a full
 * refresh, the first time, or when the rules, the source priority or the code changed
 * (`meta.profile_state`).
 *
 * Needs `profiles_reclustered`, `profiles_held`; the fingerprints are stored by
 * `recordCustomerInputs` in the unit's transaction.
 */
export async function customerScope(
  wh: Warehouse,
  opts: {
    readonly fullRefresh: boolean;
    readonly stateKey: string;
    readonly withHouseholds: boolean;
  },
  step: RunStep,
): Promise<{ readonly customers: number; readonly why?: string }> {
  await openProfileState(wh);
  const household = opts.withHouseholds
    ? 'LEFT JOIN (SELECT customer_id, min(household_id) AS household_id FROM core.dim_household GROUP BY customer_id) hh ON hh.customer_id = x.customer_id'
    : 'LEFT JOIN (SELECT NULL::BIGINT AS customer_id, NULL::BIGINT AS household_id) hh ON false';
  // hash(p) is a hash of the whole record (every column, so a new column changes every one);
  // summed per customer it does not depend on the order records are read in
  await step(
    'fingerprints',
    `CREATE OR REPLACE TEMP TABLE profiles_inputs_now AS
     SELECT x.customer_id, hash(count(*), sum(hash(p, x.customer_id)), min(hh.household_id)) AS fingerprint
     FROM staging.party_records p
     JOIN core.customer_xref x ON x.party_uid = p.party_uid
     ${household}
     GROUP BY x.customer_id`,
  );
  const why = await fullReason(wh, opts);
  if (why !== undefined) {
    await step(
      'scope',
      `CREATE OR REPLACE TEMP TABLE profiles_scope AS
       SELECT customer_id FROM profiles_inputs_now
       UNION SELECT customer_id FROM core.dim_customer_history WHERE is_current
       UNION SELECT customer_id FROM core.dim_customer
       UNION SELECT customer_id FROM core.customer_sources`,
    );
  } else {
    await step(
      'scope',
      `CREATE OR REPLACE TEMP TABLE profiles_scope AS
       SELECT coalesce(n.customer_id, s.customer_id) AS customer_id
       FROM profiles_inputs_now n FULL JOIN meta.profile_inputs s ON s.customer_id = n.customer_id
       WHERE n.fingerprint IS DISTINCT FROM s.fingerprint
       UNION SELECT customer_id FROM profiles_reclustered
       UNION SELECT customer_id FROM profiles_held
       -- a current version not as it was built (another writer of the history)
       UNION SELECT h.customer_id FROM core.dim_customer_history h
             LEFT JOIN meta.profile_inputs s ON s.customer_id = h.customer_id
             WHERE h.is_current AND ((s.customer_id IS NULL AND NOT h.is_deleted) OR h.row_hash <> s.row_hash)`,
    );
  }
  const customers = Number(await wh.scalar('SELECT count(*) FROM profiles_scope'));
  return why === undefined ? { customers } : { customers, why };
}

async function openProfileState(wh: Warehouse): Promise<void> {
  await wh.run(
    'CREATE TABLE IF NOT EXISTS meta.profile_inputs (customer_id BIGINT NOT NULL, fingerprint UBIGINT NOT NULL, row_hash VARCHAR)',
  );
  await wh.run(
    'CREATE TABLE IF NOT EXISTS meta.profile_state (state_key VARCHAR NOT NULL, built_at TIMESTAMPTZ NOT NULL)',
  );
}

/** Why every customer is rebuilt tonight; undefined when only the changed ones are. */
async function fullReason(
  wh: Warehouse,
  opts: { readonly fullRefresh: boolean; readonly stateKey: string },
): Promise<string | undefined> {
  if (opts.fullRefresh) return 'full refresh';
  const key = await wh.scalar<string | null>('SELECT max(state_key) FROM meta.profile_state');
  if (key === null || key === undefined) return 'first built from what changed';
  if (key !== opts.stateKey)
    return 'the survivorship rules, source priority or profiles code changed';
  return undefined;
}

/**
 * In the unit's transaction, after the build: the fingerprints of the customers built tonight,
 * with their current version's row hash, and the state they were built under. Held customers
 * get none (built again until the guard releases them), nor do unstable ones (the same records
 * would give other winners tomorrow with tonight's values as the current ones, as a rebuild of
 * every customer would find: they are built again).
 */
export async function recordCustomerInputs(
  wh: Warehouse,
  stateKey: string,
  step: RunStep,
): Promise<void> {
  await step(
    'record fingerprints',
    `DELETE FROM meta.profile_inputs WHERE customer_id IN (SELECT customer_id FROM profiles_scope);
     INSERT INTO meta.profile_inputs
     SELECT n.customer_id, n.fingerprint, h.row_hash FROM profiles_inputs_now n
     LEFT JOIN core.dim_customer_history h ON h.customer_id = n.customer_id AND h.is_current
     WHERE n.customer_id IN (SELECT customer_id FROM profiles_scope)
       AND n.customer_id NOT IN (SELECT customer_id FROM profiles_held)
       AND n.customer_id NOT IN (SELECT customer_id FROM profiles_unstable)`,
  );
  await wh.run('DELETE FROM meta.profile_state');
  await wh.run('INSERT INTO meta.profile_state VALUES ($1, now())', [stateKey]);
}

/**
 * The state a customer's fingerprint is valid under: the rules, the source priority, whether
 * identity keeps an id history, and a hash of this folder's code (a fix reaches every customer).
 */
export function profileStateKey(opts: {
  readonly rulesKey: string;
  readonly sourcePriority: readonly string[];
  readonly withIdHistory: boolean;
}): string {
  return createHash('md5')
    .update(JSON.stringify({ code: codeVersion(new URL('./', import.meta.url)), ...opts }))
    .digest('hex');
}
