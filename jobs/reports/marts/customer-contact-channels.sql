-- Contacts per customer and channel as of $1 (customer_360.contacts_by_channel as rows).
{{write}}
SELECT f.customer_id,
       coalesce(nullif(lower(trim(f.channel)), ''), 'unknown') AS channel,
       count(*) AS contacts,
       count(*) FILTER (WHERE coalesce(lower(f.direction), 'inbound') <> 'outbound') AS inbound,
       max(f.opened_at) AS last_contact_at
FROM core.fact_interactions f
WHERE f.customer_id IN (FROM mart_scope) AND (f.opened_at IS NULL OR f.opened_at <= $1::TIMESTAMPTZ)
GROUP BY ALL;
