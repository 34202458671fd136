-- marts.campaign_days: each UTC day inside a campaign's window (first send to $2 days after the
-- last, up to the as-of $1) with the campaign and the days since its first send. marts.service_daily
-- reads it for its campaigns_active columns (so it is built before); joined on `day` it also
-- gives the days since each campaign's first send.
CREATE OR REPLACE TABLE marts.campaign_days AS
WITH sent AS (
  SELECT campaign_uid, min(sent_at) AS first_sent, max(sent_at) AS last_sent
  FROM core.fact_campaign_contacts
  WHERE NOT is_control AND sent_at <= $1::TIMESTAMPTZ
  GROUP BY campaign_uid
),
win AS (
  SELECT s.campaign_uid, coalesce(c.name, s.campaign_uid) AS campaign_name,
         (s.first_sent AT TIME ZONE 'UTC')::DATE AS first_day,
         least((s.last_sent AT TIME ZONE 'UTC')::DATE + (CAST($2 AS INTEGER) - 1),
               ($1::TIMESTAMPTZ AT TIME ZONE 'UTC')::DATE) AS last_day
  FROM sent s LEFT JOIN mart_campaigns c USING (campaign_uid)
)
SELECT CAST(d AS DATE) AS day, w.campaign_uid, w.campaign_name,
       date_diff('day', w.first_day, CAST(d AS DATE)) AS days_after
FROM win w, range(CAST(w.first_day AS TIMESTAMP), CAST(w.last_day AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
ORDER BY day, campaign_uid;
