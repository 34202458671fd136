-- What marts.campaign_contacts reads, as of $1 with household attribution when $2, as entries
-- with a count and a fingerprint (campaign-scope.ts compares them with the last build's):
--   send      per campaign and recipient: their sends up to the as-of, each with the side of the
--             as-of its unsubscribe and complaint fall on
--   campaign  per campaign: its row of mart_campaigns (name, product, currency)
--   household per customer and household, with household attribution: who answers for whom
--   activity  per customer who answers for a recipient: their transactions (each with whether its
--             source has orders: an order line stops counting once it has), web sessions and
--             contacts up to the as-of (one entry per customer: an entry per day would be one
--             per fact row, as costly to keep as to rebuild the mart)
-- Only rows up to the as-of are entries, so a moving as-of changes exactly the entries of the
-- rows it lets in or out.
CREATE OR REPLACE TEMP TABLE mart_campaign_inputs_now AS
WITH sends AS (
  SELECT f.campaign_uid, coalesce('c:' || f.customer_id, 'u:' || f.contact_uid) AS recipient,
         f.customer_id,
         hash(f, f.unsubscribed_at <= $1::TIMESTAMPTZ, f.complained_at <= $1::TIMESTAMPTZ) AS h
  FROM core.fact_campaign_contacts f
  WHERE f.sent_at <= $1::TIMESTAMPTZ
),
households AS (
  SELECT customer_id, household_id FROM core.dim_household WHERE CAST($2 AS BOOLEAN)
),
order_sources AS (
  SELECT DISTINCT source FROM core.fact_transactions WHERE lower(kind) = 'order'
),
answerers AS (
  SELECT customer_id FROM sends WHERE customer_id IS NOT NULL
  UNION
  SELECT m.customer_id
  FROM households h JOIN households m USING (household_id)
  WHERE h.customer_id IN (SELECT customer_id FROM sends)
),
parts AS (
  SELECT 'send' AS kind, campaign_uid, recipient AS ref, NULL::BIGINT AS customer_id, h
  FROM sends
  UNION ALL
  SELECT 'campaign', c.campaign_uid, NULL, NULL, hash(c) FROM mart_campaigns c
  UNION ALL
  SELECT 'household', NULL, household_id::VARCHAR, customer_id, hash(customer_id, household_id)
  FROM households
  UNION ALL
  SELECT 'activity', NULL, NULL, t.customer_id, hash('transaction', t, t.source IN (FROM order_sources))
  FROM core.fact_transactions t
  WHERE t.customer_id IN (FROM answerers) AND t.occurred_at <= $1::TIMESTAMPTZ
  UNION ALL
  SELECT 'activity', NULL, NULL, s.customer_id, hash('session', s)
  FROM core.fact_web_sessions s
  WHERE s.customer_id IN (FROM answerers) AND s.started_at <= $1::TIMESTAMPTZ
  UNION ALL
  SELECT 'activity', NULL, NULL, i.customer_id, hash('contact', i)
  FROM core.fact_interactions i
  WHERE i.customer_id IN (FROM answerers) AND i.opened_at <= $1::TIMESTAMPTZ
)
SELECT kind, campaign_uid, ref, customer_id, count(*) AS n, sum(h) AS fp
FROM parts
GROUP BY kind, campaign_uid, ref, customer_id;
