-- Campaign candidates: the members of segment $1 with every reason to leave them out of a
-- campaign on channel $2 ('email', 'phone' or 'any') as of $3 (the business date of the data,
-- not the wall clock). A complaint opened in the $4 days before excludes; a complaint or a
-- ticket still open at $3 excludes whatever its age. Opted out means consent explicitly false;
-- unknown consent does not exclude. A member who unsubscribed from, or complained about, an
-- earlier campaign send (core.fact_campaign_contacts, up to $3) is left out on every channel,
-- whatever its age. A member without reasons is on the list.
CREATE OR REPLACE TEMP TABLE campaign_candidates AS
WITH params AS (
  SELECT $1::VARCHAR AS segment, $2::VARCHAR AS channel, $3::TIMESTAMPTZ AS as_of,
         $3::TIMESTAMPTZ - to_days($4::INTEGER) AS since
),
members AS (
  SELECT DISTINCT m.customer_id FROM marts.segment_members m, params p WHERE m.segment = p.segment
),
contacts AS (
  SELECT f.customer_id,
         coalesce(f.is_complaint, false) AS is_complaint,
         f.opened_at >= p.since AS is_recent,
         -- open at the as-of: not resolved by then (a later resolution does not count yet)
         (marts.interaction_is_open(f.status, f.resolved_at)
           OR (f.resolved_at IS NOT NULL AND f.resolved_at > p.as_of)) AS is_open
  FROM core.fact_interactions f, params p
  WHERE f.customer_id IN (SELECT customer_id FROM members) AND f.opened_at <= p.as_of
),
recent AS (
  SELECT customer_id,
         bool_or(is_complaint AND is_recent) AS complaint,
         bool_or(is_complaint AND is_open) AS open_complaint,
         bool_or(is_open) AS open_ticket
  FROM contacts
  GROUP BY customer_id
),
campaign_answers AS (
  SELECT f.customer_id,
         bool_or(f.unsubscribed_at <= p.as_of) AS unsubscribed,
         bool_or(f.complained_at <= p.as_of) AS campaign_complaint
  FROM core.fact_campaign_contacts f, params p
  WHERE f.customer_id IN (SELECT customer_id FROM members)
  GROUP BY f.customer_id
),
contact AS (
  SELECT c.*,
         nullif(trim(c.email), '') AS email_point,
         coalesce(nullif(trim(c.mobile), ''), nullif(trim(c.phone), '')) AS phone_point
  FROM core.dim_customer c
)
SELECT m.customer_id,
       c.full_name, c.first_name, c.last_name,
       CASE WHEN p.channel IN ('email', 'any') THEN c.email_point END AS email,
       CASE WHEN p.channel IN ('phone', 'any') THEN c.phone_point END AS phone,
       list_filter([
         CASE WHEN coalesce(c.is_deceased, false) THEN 'deceased' END,
         CASE WHEN coalesce(c.is_closed, false) THEN 'closed' END,
         CASE WHEN r.complaint THEN 'recent_complaint' END,
         CASE WHEN r.open_complaint THEN 'open_complaint' END,
         CASE WHEN r.open_ticket THEN 'open_ticket' END,
         CASE WHEN a.unsubscribed THEN 'unsubscribed' END,
         CASE WHEN a.campaign_complaint THEN 'campaign_complaint' END,
         CASE
           WHEN p.channel = 'email' AND c.email_point IS NOT NULL AND c.consent_email = false THEN 'opted_out'
           WHEN p.channel = 'phone' AND c.phone_point IS NOT NULL AND c.consent_phone = false THEN 'opted_out'
           WHEN p.channel = 'any' AND (c.email_point IS NOT NULL OR c.phone_point IS NOT NULL)
                AND (c.email_point IS NULL OR c.consent_email = false)
                AND (c.phone_point IS NULL OR c.consent_phone = false) THEN 'opted_out'
         END,
         CASE
           WHEN p.channel = 'email' AND c.email_point IS NULL THEN 'no_contact_point'
           WHEN p.channel = 'phone' AND c.phone_point IS NULL THEN 'no_contact_point'
           WHEN p.channel = 'any' AND c.email_point IS NULL AND c.phone_point IS NULL THEN 'no_contact_point'
         END
       ], x -> x IS NOT NULL) AS reasons
FROM members m
CROSS JOIN params p
JOIN contact c ON c.customer_id = m.customer_id
LEFT JOIN recent r ON r.customer_id = m.customer_id
LEFT JOIN campaign_answers a ON a.customer_id = m.customer_id;
