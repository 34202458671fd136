import type { Queryable, Row } from '../../foundation/duckdb-client.ts';
import { customerCampaigns } from './customer-campaigns.ts';

/** Everything `cdw customer show` prints about one customer. */
export interface CustomerView {
  /** The id asked for. */
  readonly requestedId: number;
  /** The id that carries the customer now (differs when requestedId was merged away). */
  readonly customerId: number;
  /** When requestedId was merged into customerId; null when it is current. */
  readonly mergedAt: Date | null;
  /** Other ids merged into customerId over time. */
  readonly mergedIds: readonly number[];
  /** null for "now"; else the date the profile is shown as of (end of that day). */
  readonly asOf: string | null;
  /** Golden record now, or the version(s) valid at asOf (one per id the customer had then). */
  readonly profile: readonly Row[];
  /** Source of each current golden value (empty for an as-of view: lineage is kept for now only). */
  readonly lineage: readonly Row[];
  /** Every version of the customer, including those recorded under merged ids. */
  readonly history: readonly Row[];
  /** The source records behind the customer now. */
  readonly records: readonly Row[];
  readonly activity: Row;
  /** Campaigns sent to the customer (or holding them out), newest first, with their answer. */
  readonly campaigns: readonly Row[];
}

/**
 * Looks a customer up by any id ever issued (merged ids resolve to the survivor) and gathers
 * its profile, history and records. Returns undefined when no such id was ever issued.
 */
export async function lookupCustomer(
  wh: Queryable,
  id: number,
  asOf?: string,
): Promise<CustomerView | undefined> {
  const resolved = await wh.one<{ customer_id: number; merged_at: Date | null }>(
    `SELECT customer_id, merged_at FROM core.customer_id_map WHERE old_id = $1
     UNION ALL
     SELECT DISTINCT customer_id, NULL FROM core.dim_customer_history WHERE customer_id = $1
     LIMIT 1`,
    [id],
  );
  if (resolved === undefined) return undefined;
  const customerId = Number(resolved.customer_id);
  const ids = (
    await wh.all<{ old_id: number }>(
      'SELECT old_id FROM core.customer_id_map WHERE customer_id = $1 ORDER BY old_id',
      [customerId],
    )
  ).map((r) => Number(r.old_id));
  const all = [customerId, ...ids];
  const idList = all.map((_, i) => `$${i + 1}`).join(', ');

  const profile =
    asOf === undefined
      ? await wh.all('SELECT * FROM core.dim_customer WHERE customer_id = $1', [customerId])
      : await wh.all(
          `SELECT * FROM public.customer_as_of(CAST($${all.length + 1} AS DATE)) WHERE customer_id IN (${idList}) ORDER BY customer_id`,
          [...all, asOf],
        );
  const lineage =
    asOf === undefined
      ? await wh.all(
          'SELECT attribute, value, source, source_table, record_key, rule, source_updated_at FROM core.customer_attribute_lineage WHERE customer_id = $1 ORDER BY attribute',
          [customerId],
        )
      : [];
  const history = await wh.all(
    `SELECT customer_id AS recorded_as, valid_from, valid_to, change_reason, changed_attributes, changed_by, is_deleted, merged_into,
            full_name, address, postcode, city, email, phone
     FROM core.dim_customer_history WHERE customer_id IN (${idList}) ORDER BY valid_from, customer_id`,
    all,
  );
  const records = (await wh.tableExists('staging', 'party_records'))
    ? await wh.all(
        `SELECT p.system, x.source, x.source_table, x.record_key, x.linked_by, x.match_probability,
                coalesce(p.full_name, concat_ws(' ', p.first_name, p.last_name)) AS name, p.email, p.phone, p.city, p.created_at, p.updated_at
         FROM core.customer_xref x LEFT JOIN staging.party_records p ON p.party_uid = x.party_uid
         WHERE x.customer_id = $1 ORDER BY p.system, x.source, x.record_key`,
        [customerId],
      )
    : [];
  const activity =
    (await wh.one(
      `SELECT (SELECT count(*) FROM core.fact_transactions WHERE customer_id = $1) AS transactions,
              (SELECT coalesce(sum(amount), 0) FROM core.fact_transactions WHERE customer_id = $1) AS amount,
              (SELECT count(*) FROM core.fact_interactions WHERE customer_id = $1) AS interactions,
              (SELECT count(*) FROM core.fact_interactions WHERE customer_id = $1 AND is_complaint) AS complaints,
              (SELECT count(*) FROM core.fact_web_sessions WHERE customer_id = $1) AS web_sessions,
              (SELECT count(*) FROM core.fact_page_views WHERE customer_id = $1) AS page_views`,
      [customerId],
    )) ?? {};
  return {
    requestedId: id,
    customerId,
    mergedAt: resolved.merged_at,
    mergedIds: ids,
    asOf: asOf ?? null,
    profile,
    lineage,
    history,
    records,
    activity,
    campaigns: await customerCampaigns(wh, all),
  };
}
