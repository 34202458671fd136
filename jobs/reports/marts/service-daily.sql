-- Contact-centre metrics per day (UTC), channel and queue. A repeat contact is one from a
-- customer who had another contact in the 7 days before. The baseline is the mean contacts
-- per day of the same channel and queue over the 28 days before (fewer at the start of the
-- series); surge_ratio = contacts / baseline shows the surge after a campaign. Durations use
-- epoch seconds (date_diff on TIMESTAMPTZ goes through the calendar and is slow).
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
       contacts / nullif(baseline_28d, 0) AS surge_ratio
FROM with_baseline
ORDER BY day, channel, queue;
