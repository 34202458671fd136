import type { Queryable } from '../foundation/duckdb-client.ts';
import { IdentityError } from './errors.ts';

/** A customer's records, the links that hold them together, and the id's history. */
export interface CustomerView {
  readonly requestedId: number;
  readonly customerId: number;
  readonly records: readonly {
    party_uid: string;
    source: string;
    source_table: string;
    record_key: string;
    linked_by: string;
    match_probability: number;
  }[];
  readonly links: readonly {
    party_uid_l: string;
    party_uid_r: string;
    linked_by: string;
    match_weight: number | null;
    match_probability: number | null;
  }[];
  readonly history: readonly {
    old_id: number;
    new_id: number;
    event: string;
    run_id: string;
    reason: string | null;
    at: Date;
  }[];
  readonly household: { household_id: number; role: string; members: number } | null;
}

/** Looks a customer up by any id ever issued (a retired id resolves to the surviving one). */
export async function showCustomer(wh: Queryable, id: number): Promise<CustomerView> {
  const current = await wh.scalar<number | null>('SELECT identity.resolve_id($1::BIGINT)', [id]);
  if (current === null || current === undefined)
    throw new IdentityError('customer_not_found', `customer ${id} was never issued`);
  const customerId = Number(current);
  const records = await wh.all<CustomerView['records'][number] & Record<string, unknown>>(
    `SELECT party_uid, source, source_table, record_key, linked_by, match_probability FROM core.customer_xref
     WHERE customer_id = $1 ORDER BY linked_by <> 'self', party_uid`,
    [customerId],
  );
  const links = await wh.all<CustomerView['links'][number] & Record<string, unknown>>(
    `SELECT party_uid_l, party_uid_r, linked_by, match_weight, match_probability FROM identity.links
     WHERE customer_id = $1 ORDER BY match_weight DESC NULLS FIRST, party_uid_l, party_uid_r`,
    [customerId],
  );
  const history = await wh.all<CustomerView['history'][number] & Record<string, unknown>>(
    `SELECT old_id, new_id, event, run_id, reason, "at" FROM identity.id_history
     WHERE old_id IN (SELECT issued_id FROM identity.id_map WHERE current_id = $1) OR new_id = $1 ORDER BY "at", old_id`,
    [customerId],
  );
  const household = await wh.one<{ household_id: number; role: string; members: number }>(
    `SELECT h.household_id, h.role, (SELECT count(*) FROM core.dim_household x WHERE x.household_id = h.household_id) AS members
     FROM core.dim_household h WHERE h.customer_id = $1`,
    [customerId],
  );
  return { requestedId: id, customerId, records, links, history, household: household ?? null };
}
