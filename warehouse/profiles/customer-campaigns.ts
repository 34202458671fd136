import type { Queryable, Row } from '../../foundation/duckdb-client.ts';

/**
 * A customer's campaign history for `cdw customer show`: every campaign sent to (or holding out)
 * any of the given ids, newest first — variant, region, when it was sent, whether it was
 * delivered, and whether the customer responded (from the last marts build), complained or
 * unsubscribed. Empty on a warehouse without campaign facts.
 */
export async function customerCampaigns(wh: Queryable, ids: readonly number[]): Promise<Row[]> {
  if (!(await wh.tableExists('core', 'fact_campaign_contacts'))) return [];
  const idList = ids.map((_, i) => `$${i + 1}`).join(', ');
  const names = (await wh.tableExists('staging', 'campaigns'))
    ? 'LEFT JOIN staging.campaigns c ON c.campaign_uid = f.campaign_uid'
    : 'LEFT JOIN (SELECT NULL::VARCHAR AS campaign_uid, NULL::VARCHAR AS name, NULL::VARCHAR AS channel) c ON false';
  const answered = (await wh.tableExists('marts', 'campaign_contacts'))
    ? 'LEFT JOIN marts.campaign_contacts m ON m.campaign_uid = f.campaign_uid AND m.customer_id = f.customer_id'
    : 'LEFT JOIN (SELECT NULL::VARCHAR AS campaign_uid, NULL::BIGINT AS customer_id, NULL::BOOLEAN AS responded, NULL::VARCHAR AS response_kind, NULL::TIMESTAMPTZ AS responded_at) m ON false';
  return wh.all(
    `SELECT f.campaign_uid, any_value(c.name) AS campaign, any_value(c.channel) AS channel,
            arg_min(f.variant, f.sent_at) AS variant, arg_min(f.region, f.sent_at) AS region,
            bool_and(f.is_control) AS is_control, min(f.sent_at) AS sent_at, count(*) AS sends,
            bool_or(f.delivered_at IS NOT NULL) AS delivered,
            any_value(m.responded) AS responded, any_value(m.response_kind) AS response_kind,
            any_value(m.responded_at) AS responded_at,
            min(f.complained_at) AS complained_at, min(f.unsubscribed_at) AS unsubscribed_at
     FROM core.fact_campaign_contacts f ${names} ${answered}
     WHERE f.customer_id IN (${idList})
     GROUP BY f.campaign_uid ORDER BY min(f.sent_at) DESC, f.campaign_uid`,
    [...ids],
  );
}
