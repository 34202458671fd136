-- marts.campaign_results: per campaign at four levels — the whole campaign, each variant, each
-- region, each variant × region — from marts.campaign_contacts. Rates are over recipients who
-- resolved to a customer (an unresolved one cannot be seen to respond); 95 % Wilson intervals.
-- The control group (holdout) of the same variant and region, else of the region, else of the
-- whole campaign, gives the control rate; incremental = treated − control, with a 95 % normal
-- interval of the difference. failed: response rate below $1 (campaigns.failure_rate). Visits to
-- the web site and contacts to the contact centre in the window get the same treatment (rate,
-- control rate, incremental with its interval), whether or not they count as responses.
CREATE OR REPLACE TABLE marts.campaign_results AS
WITH camp AS (
  SELECT campaign_uid, name, lower(channel) AS channel, product, cost AS campaign_cost,
         nullif(upper(trim(currency)), '') AS currency, started_at, ended_at
  FROM mart_campaigns
),
g AS (
  SELECT campaign_uid, is_control,
         CASE WHEN GROUPING(variant) = 0 AND GROUPING(region) = 0 THEN 'variant_region'
              WHEN GROUPING(variant) = 0 THEN 'variant'
              WHEN GROUPING(region) = 0 THEN 'region' ELSE 'campaign' END AS level,
         variant, region,
         count(*) AS recipients,
         sum(records) AS sends,
         count(customer_id) AS resolved,
         count(*) FILTER (WHERE delivered) AS delivered,
         count(*) FILTER (WHERE bounced) AS bounced,
         count(*) FILTER (WHERE opened) AS opened,
         count(*) FILTER (WHERE clicked) AS clicked,
         count(*) FILTER (WHERE responded) AS responded,
         count(*) FILTER (WHERE visited) AS visited,
         count(*) FILTER (WHERE called) AS called,
         sum(purchases) AS purchases,
         sum(revenue) AS revenue,
         any_value(currency) AS revenue_currency,
         count(*) FILTER (WHERE unsubscribed) AS unsubscribes,
         count(*) FILTER (WHERE complained) AS complaints,
         sum(cost) AS contact_cost
  FROM marts.campaign_contacts
  GROUP BY GROUPING SETS ((campaign_uid, is_control), (campaign_uid, is_control, variant),
                          (campaign_uid, is_control, region), (campaign_uid, is_control, variant, region))
),
-- a campaign without variants (regions) has no variant (region) rows: they would repeat its total
dims AS (
  SELECT campaign_uid, bool_or(variant IS NOT NULL) AS has_variant, bool_or(region IS NOT NULL) AS has_region
  FROM marts.campaign_contacts GROUP BY campaign_uid
),
t AS (
  SELECT g.* FROM g JOIN dims USING (campaign_uid)
  WHERE NOT g.is_control
    AND (g.level = 'campaign' OR (g.level = 'variant' AND has_variant) OR (g.level = 'region' AND has_region)
         OR (g.level = 'variant_region' AND has_variant AND has_region))
),
ctl AS (SELECT * FROM g WHERE is_control),
whole AS (SELECT campaign_uid, recipients AS campaign_recipients FROM t WHERE level = 'campaign'),
joined AS (
  SELECT t.*,
         coalesce(c1.resolved, c2.resolved, c3.resolved) AS control_resolved,
         coalesce(c1.responded, c2.responded, c3.responded) AS control_responded,
         coalesce(c1.visited, c2.visited, c3.visited) AS control_visited,
         coalesce(c1.called, c2.called, c3.called) AS control_called,
         CASE WHEN c1.campaign_uid IS NOT NULL THEN 'same'
              WHEN c2.campaign_uid IS NOT NULL THEN 'region'
              WHEN c3.campaign_uid IS NOT NULL THEN 'campaign' END AS control_from,
         camp.name AS campaign_name, camp.channel, camp.product, coalesce(camp.currency, t.revenue_currency) AS currency,
         camp.started_at, camp.ended_at,
         coalesce(t.contact_cost, 0) + coalesce(camp.campaign_cost * t.recipients / whole.campaign_recipients, 0) AS cost_total,
         t.contact_cost IS NOT NULL OR camp.campaign_cost IS NOT NULL AS has_cost
  FROM t
  LEFT JOIN camp USING (campaign_uid)
  LEFT JOIN whole USING (campaign_uid)
  LEFT JOIN ctl c1 ON c1.campaign_uid = t.campaign_uid AND c1.level = t.level
       AND c1.variant IS NOT DISTINCT FROM t.variant AND c1.region IS NOT DISTINCT FROM t.region
       AND c1.resolved > 0
  LEFT JOIN ctl c2 ON c2.campaign_uid = t.campaign_uid AND c2.level = 'region' AND t.region IS NOT NULL
       AND c2.region = t.region AND c2.resolved > 0
  LEFT JOIN ctl c3 ON c3.campaign_uid = t.campaign_uid AND c3.level = 'campaign' AND c3.resolved > 0
),
rates AS (
  SELECT *,
         responded / nullif(resolved, 0) AS p, resolved AS n,
         control_responded / nullif(control_resolved, 0) AS p0, control_resolved AS n0,
         visited / nullif(resolved, 0) AS pv, control_visited / nullif(control_resolved, 0) AS pv0,
         called / nullif(resolved, 0) AS pc, control_called / nullif(control_resolved, 0) AS pc0
  FROM joined
)
SELECT campaign_uid, campaign_name, channel, product, level, variant, region,
       started_at, ended_at,
       recipients AS sent, sends, resolved, recipients - resolved AS unresolved,
       delivered, bounced, opened, clicked, responded,
       p AS response_rate,
       (p + 1.96 * 1.96 / (2 * n) - 1.96 * sqrt(p * (1 - p) / n + 1.96 * 1.96 / (4 * n * n))) / (1 + 1.96 * 1.96 / n) AS response_rate_low,
       (p + 1.96 * 1.96 / (2 * n) + 1.96 * sqrt(p * (1 - p) / n + 1.96 * 1.96 / (4 * n * n))) / (1 + 1.96 * 1.96 / n) AS response_rate_high,
       coalesce(p < CAST($1 AS DOUBLE), false) AS failed,
       CAST($1 AS DOUBLE) AS failure_rate,
       control_resolved AS control_size, control_responded, p0 AS control_rate, control_from,
       p - p0 AS incremental_rate,
       p - p0 - 1.96 * sqrt(p * (1 - p) / n + p0 * (1 - p0) / n0) AS incremental_rate_low,
       p - p0 + 1.96 * sqrt(p * (1 - p) / n + p0 * (1 - p0) / n0) AS incremental_rate_high,
       (p - p0) * n AS incremental_responses,
       visited, pv AS visit_rate, control_visited, pv0 AS control_visit_rate,
       pv - pv0 AS incremental_visit_rate,
       pv - pv0 - 1.96 * sqrt(pv * (1 - pv) / n + pv0 * (1 - pv0) / n0) AS incremental_visit_rate_low,
       pv - pv0 + 1.96 * sqrt(pv * (1 - pv) / n + pv0 * (1 - pv0) / n0) AS incremental_visit_rate_high,
       called, pc AS call_rate, control_called, pc0 AS control_call_rate,
       pc - pc0 AS incremental_call_rate,
       pc - pc0 - 1.96 * sqrt(pc * (1 - pc) / n + pc0 * (1 - pc0) / n0) AS incremental_call_rate_low,
       pc - pc0 + 1.96 * sqrt(pc * (1 - pc) / n + pc0 * (1 - pc0) / n0) AS incremental_call_rate_high,
       purchases, revenue, currency,
       CASE WHEN has_cost THEN cost_total END AS cost,
       CASE WHEN has_cost THEN cost_total / nullif(responded, 0) END AS cost_per_response,
       unsubscribes, complaints
FROM rates
ORDER BY campaign_uid, CASE level WHEN 'campaign' THEN 0 WHEN 'variant' THEN 1 WHEN 'region' THEN 2 ELSE 3 END,
         variant NULLS FIRST, region NULLS FIRST;
