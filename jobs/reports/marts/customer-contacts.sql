-- Contact-centre picture per customer, as of $1 (the business date) with a complaint window of
-- $2 days: contacts by channel, the channel the customer uses most, complaints and open
-- tickets. Contacts after $1 do not count; open means not resolved at $1, whatever its age.
{{write}}
WITH params AS (SELECT $1::TIMESTAMPTZ AS as_of, $1::TIMESTAMPTZ - to_days($2::INTEGER) AS since),
i AS (
  SELECT f.customer_id,
         coalesce(nullif(lower(trim(f.channel)), ''), 'unknown') AS channel,
         coalesce(lower(f.direction), 'inbound') <> 'outbound' AS inbound,
         f.opened_at,
         coalesce(f.is_complaint, false) AS is_complaint,
         (marts.interaction_is_open(f.status, f.resolved_at)
           OR (f.resolved_at IS NOT NULL AND f.resolved_at > p.as_of)) AS is_open,
         f.opened_at >= p.since AS is_recent
  FROM core.fact_interactions f, params p
  WHERE f.customer_id IN (FROM mart_scope) AND (f.opened_at IS NULL OR f.opened_at <= p.as_of)
),
by_channel AS (
  SELECT customer_id, channel, count(*) AS n, count(*) FILTER (WHERE inbound) AS inbound, max(opened_at) AS last_at
  FROM i GROUP BY customer_id, channel
),
channels AS (
  SELECT customer_id,
         map_from_entries(list_sort(list(struct_pack(k := channel, v := n)))) AS contacts_by_channel,
         arg_max(channel, (inbound, last_at)) AS preferred_channel
  FROM by_channel GROUP BY customer_id
)
SELECT i.customer_id,
       count(*) AS contacts,
       to_json(any_value(c.contacts_by_channel)) AS contacts_by_channel,
       any_value(c.preferred_channel) AS preferred_channel,
       max(i.opened_at) AS last_contact_at,
       count(*) FILTER (WHERE i.is_complaint) AS complaints,
       count(*) FILTER (WHERE i.is_complaint AND i.is_recent) AS complaints_recent,
       count(*) FILTER (WHERE i.is_complaint AND i.is_open) AS open_complaints,
       count(*) FILTER (WHERE i.is_open) AS open_tickets,
       count(*) FILTER (WHERE i.is_open AND i.is_recent) AS open_tickets_recent,
       max(i.opened_at) FILTER (WHERE i.is_complaint) AS last_complaint_at
FROM i JOIN channels c USING (customer_id)
GROUP BY i.customer_id;
