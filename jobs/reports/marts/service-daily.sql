-- Contact-centre metrics per day (UTC), channel and queue. A repeat contact is one from a
-- customer who had another contact in the 7 days before. The baseline is the mean contacts
-- per day of the same channel and queue over the 28 days before (fewer at the start of the
-- series); surge_ratio = contacts / baseline shows the surge after a campaign. Durations use
-- epoch seconds (date_diff on TIMESTAMPTZ goes through the calendar and is slow).
-- Campaigns: the campaigns whose window holds the day (marts.campaign_days, built before this),
-- and the day's load beside comparable days of the same channel and queue — the same weekday in
-- the $1 weeks before (campaigns.baseline_weeks), leaving out days inside any campaign's window
-- and days before the contact data begins (a comparable day without contacts counts as 0) — so
-- "what did the campaign do to the contact centre" needs no join.
CREATE OR REPLACE TABLE marts.service_daily AS
WITH i AS (
  SELECT customer_id,
         coalesce(nullif(lower(trim(channel)), ''), 'unknown') AS channel,
         coalesce(nullif(trim(queue), ''), '(none)') AS queue,
         (opened_at AT TIME ZONE 'UTC')::DATE AS day,
         opened_at, resolved_at, duration_s,
         coalesce(is_abandoned, false) AS is_abandoned,
         coalesce(is_complaint, false) AS is_complaint,
         coalesce(lower(direction), 'inbound') = 'outbound' AS is_outbound,
         marts.interaction_is_open(status, resolved_at) AS is_open,
         CASE WHEN customer_id IS NOT NULL THEN
           lag(opened_at) OVER (PARTITION BY customer_id ORDER BY opened_at, interaction_uid)
         END AS previous_at
  FROM core.fact_interactions
  WHERE opened_at IS NOT NULL
),
daily AS (
  SELECT day, channel, queue,
         count(*) AS contacts,
         count(*) FILTER (WHERE NOT is_outbound) AS inbound,
         count(*) FILTER (WHERE is_outbound) AS outbound,
         count(DISTINCT customer_id) AS customers,
         count(*) FILTER (WHERE customer_id IS NULL) AS unidentified,
         count(*) FILTER (WHERE is_abandoned) AS abandoned,
         count(*) FILTER (WHERE epoch(opened_at) - epoch(previous_at) <= 7 * 86400) AS repeat_contacts_7d,
         count(*) FILTER (WHERE resolved_at >= opened_at) AS resolved,
         count(*) FILTER (WHERE is_open) AS still_open,
         avg((epoch(resolved_at) - epoch(opened_at)) / 3600.0) FILTER (WHERE resolved_at >= opened_at) AS avg_resolution_hours,
         median((epoch(resolved_at) - epoch(opened_at)) / 3600.0) FILTER (WHERE resolved_at >= opened_at) AS median_resolution_hours,
         count(*) FILTER (WHERE is_complaint) AS complaints,
         avg(duration_s) FILTER (WHERE NOT is_abandoned) AS avg_duration_s
  FROM i GROUP BY day, channel, queue
),
bounds AS (SELECT min(day) AS data_from, max(day) AS data_to FROM daily),
cal AS (
  SELECT CAST(d AS DATE) AS day,
         EXISTS (SELECT 1 FROM marts.campaign_days c WHERE c.day = CAST(d AS DATE)) AS in_campaign
  FROM bounds, range(CAST(bounds.data_from AS TIMESTAMP), CAST(bounds.data_to AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
  WHERE bounds.data_from IS NOT NULL
),
-- each day's comparable days: same weekday, at most $1 weeks before, no campaign running
comparable AS (
  SELECT d.day, b.day AS base_day
  FROM cal d JOIN cal b ON b.day < d.day AND NOT b.in_campaign
   AND date_diff('day', b.day, d.day) % 7 = 0 AND date_diff('day', b.day, d.day) <= 7 * CAST($1 AS INTEGER)
),
comparable_days AS (SELECT day, count(*) AS baseline_days FROM comparable GROUP BY day),
comparable_load AS (
  SELECT c.day, x.channel, x.queue, sum(x.inbound) AS sum_inbound, sum(x.abandoned) AS sum_abandoned,
         sum(x.repeat_contacts_7d) AS sum_repeat
  FROM comparable c JOIN daily x ON x.day = c.base_day
  GROUP BY c.day, x.channel, x.queue
),
active AS (
  SELECT day, list(campaign_name ORDER BY campaign_uid) AS campaigns_active,
         list(campaign_uid ORDER BY campaign_uid) AS campaign_uids_active
  FROM marts.campaign_days GROUP BY day
),
with_baseline AS (
  SELECT *,
         sum(contacts) OVER (PARTITION BY channel, queue ORDER BY day
                             RANGE BETWEEN INTERVAL 28 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
           / nullif(least(28, date_diff('day', min(day) OVER (PARTITION BY channel, queue), day)), 0) AS baseline_28d
  FROM daily
)
SELECT day, channel, queue, contacts, inbound, outbound, customers, unidentified,
       abandoned, abandoned / contacts AS abandonment_rate,
       repeat_contacts_7d, repeat_contacts_7d / contacts AS repeat_rate,
       resolved, still_open, avg_resolution_hours, median_resolution_hours,
       complaints, avg_duration_s,
       coalesce(baseline_28d, 0) AS baseline_28d,
       contacts / nullif(baseline_28d, 0) AS surge_ratio,
       coalesce(a.campaigns_active, []) AS campaigns_active,
       coalesce(a.campaign_uids_active, []) AS campaign_uids_active,
       len(coalesce(a.campaign_uids_active, [])) AS campaigns_active_count,
       coalesce(cd.baseline_days, 0) AS comparable_days,
       coalesce(cl.sum_inbound, 0) / cd.baseline_days AS baseline_inbound,
       coalesce(cl.sum_abandoned, 0) / cd.baseline_days AS baseline_abandoned,
       coalesce(cl.sum_repeat, 0) / cd.baseline_days AS baseline_repeat_contacts_7d,
       inbound - coalesce(cl.sum_inbound, 0) / cd.baseline_days AS excess_inbound,
       abandoned - coalesce(cl.sum_abandoned, 0) / cd.baseline_days AS excess_abandoned,
       repeat_contacts_7d - coalesce(cl.sum_repeat, 0) / cd.baseline_days AS excess_repeat_contacts_7d,
       inbound / nullif(coalesce(cl.sum_inbound, 0) / cd.baseline_days, 0) AS load_ratio
FROM with_baseline w
LEFT JOIN active a USING (day)
LEFT JOIN comparable_days cd USING (day)
LEFT JOIN comparable_load cl USING (day, channel, queue)
ORDER BY day, channel, queue;
