-- marts.campaign_service_load: the contact centre's inbound load on each day of a campaign's
-- window — from its first send to $2 days (campaigns.load_days) after its last, up to the as-of
-- $1 — beside a baseline of comparable days: the same weekday in the $3 weeks
-- (campaigns.baseline_weeks) before the first send, leaving out days inside any campaign's
-- window and days before the contact data begins. Days are UTC; a day without contacts is 0.
CREATE OR REPLACE TABLE marts.campaign_service_load AS
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
),
i AS (
  SELECT customer_id, (opened_at AT TIME ZONE 'UTC')::DATE AS day,
         coalesce(is_abandoned, false) AS is_abandoned,
         coalesce(is_complaint, false) AS is_complaint,
         CASE WHEN customer_id IS NOT NULL THEN
           epoch(opened_at) - epoch(lag(opened_at) OVER (PARTITION BY customer_id ORDER BY opened_at, interaction_uid))
         END AS since_previous_s
  FROM core.fact_interactions
  WHERE opened_at IS NOT NULL AND opened_at <= $1::TIMESTAMPTZ
    AND coalesce(lower(direction), 'inbound') <> 'outbound'
),
daily AS (
  SELECT day, count(*) AS contacts,
         count(*) FILTER (WHERE is_abandoned) AS abandoned,
         count(*) FILTER (WHERE since_previous_s <= 7 * 86400) AS repeat_contacts_7d,
         count(*) FILTER (WHERE is_complaint) AS complaints
  FROM i GROUP BY day
),
bounds AS (
  SELECT (SELECT min(day) FROM daily) AS data_from,
         least((SELECT max(day) FROM daily), (SELECT max(last_day) FROM win)) AS data_to
),
cal AS (
  SELECT CAST(d AS DATE) AS day
  FROM bounds, range(CAST(bounds.data_from AS TIMESTAMP), CAST(bounds.data_to AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
  WHERE bounds.data_from IS NOT NULL AND bounds.data_to IS NOT NULL
),
days AS (
  SELECT cal.day, coalesce(d.contacts, 0) AS contacts, coalesce(d.abandoned, 0) AS abandoned,
         coalesce(d.repeat_contacts_7d, 0) AS repeat_contacts_7d, coalesce(d.complaints, 0) AS complaints,
         EXISTS (SELECT 1 FROM win WHERE cal.day BETWEEN win.first_day AND win.last_day) AS in_campaign
  FROM cal LEFT JOIN daily d USING (day)
),
active AS (
  SELECT days.day, list(win.campaign_name ORDER BY win.campaign_name) AS campaigns_active
  FROM days JOIN win ON days.day BETWEEN win.first_day AND win.last_day
  GROUP BY days.day
),
recipients AS (
  SELECT DISTINCT campaign_uid, customer_id
  FROM core.fact_campaign_contacts
  WHERE NOT is_control AND customer_id IS NOT NULL AND sent_at <= $1::TIMESTAMPTZ
),
recipient_daily AS (
  SELECT r.campaign_uid, i.day, count(*) AS recipient_contacts
  FROM recipients r JOIN i ON i.customer_id = r.customer_id
  GROUP BY r.campaign_uid, i.day
),
base AS (
  SELECT w.campaign_uid, d.day,
         avg(b.contacts) AS baseline_contacts,
         avg(b.abandoned) AS baseline_abandoned,
         avg(b.repeat_contacts_7d) AS baseline_repeat_contacts_7d,
         count(b.day) AS baseline_days
  FROM win w
  JOIN days d ON d.day BETWEEN w.first_day AND w.last_day
  LEFT JOIN days b ON b.day < w.first_day AND NOT b.in_campaign
       AND date_diff('day', b.day, d.day) % 7 = 0
       AND date_diff('day', b.day, w.first_day) <= 7 * CAST($3 AS INTEGER)
  GROUP BY w.campaign_uid, d.day
)
SELECT w.campaign_uid, w.campaign_name, d.day,
       date_diff('day', w.first_day, d.day) AS days_after,
       d.contacts, d.abandoned, d.abandoned / nullif(d.contacts, 0) AS abandonment_rate,
       d.repeat_contacts_7d, d.complaints,
       coalesce(rd.recipient_contacts, 0) AS recipient_contacts,
       b.baseline_days, b.baseline_contacts, b.baseline_abandoned, b.baseline_repeat_contacts_7d,
       d.contacts - b.baseline_contacts AS excess_contacts,
       d.contacts / nullif(b.baseline_contacts, 0) AS load_ratio,
       a.campaigns_active
FROM win w
JOIN days d ON d.day BETWEEN w.first_day AND w.last_day
JOIN base b ON b.campaign_uid = w.campaign_uid AND b.day = d.day
LEFT JOIN active a ON a.day = d.day
LEFT JOIN recipient_daily rd ON rd.campaign_uid = w.campaign_uid AND rd.day = d.day
ORDER BY w.campaign_uid, d.day;
