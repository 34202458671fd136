-- Per customer, a fingerprint of everything the customer_360 unit reads about them, as those
-- marts see it as of $1 with a complaint window of $2 days: their golden record, household row,
-- source records (xref and the party record's system and dates), transactions, contacts, web
-- sessions, page views and campaign contacts — each row with the side of the as-of windows it falls on (a
-- purchase leaving the 12 months, a complaint leaving the window, a ticket resolved after the
-- as-of; an order line that stops counting once its source has order headers), so a moving
-- business date changes exactly the customers whose windows changed.
-- Columns that only say which run wrote a row are left out ({{customer_row}}, {{household_row}}).
CREATE OR REPLACE TEMP TABLE mart_customer_inputs_now AS
WITH params AS (
  SELECT $1::TIMESTAMPTZ AS as_of, $1::TIMESTAMPTZ - INTERVAL 365 DAY AS year_ago,
         $1::TIMESTAMPTZ - to_days($2::INTEGER) AS since
),
order_sources AS (
  SELECT DISTINCT source FROM core.fact_transactions WHERE lower(kind) = 'order'
),
parts AS (
  SELECT d.customer_id, hash('customer', d) AS h, d.household_id
  FROM (SELECT {{customer_row}} FROM core.dim_customer) d
  UNION ALL
  SELECT d.customer_id, hash('household', d), d.household_id
  FROM (SELECT {{household_row}} FROM core.dim_household) d
  UNION ALL
  SELECT x.customer_id, hash('record', x.source, x.party_uid, p.system, p.created_at, p.updated_at, p._loaded_at), NULL
  FROM core.customer_xref x LEFT JOIN staging.party_records p ON p.party_uid = x.party_uid
  UNION ALL
  SELECT t.customer_id, hash('transaction', t, t.occurred_at <= q.as_of, t.occurred_at >= q.year_ago,
                             t.source IN (FROM order_sources)), NULL
  FROM core.fact_transactions t, params q WHERE t.customer_id IS NOT NULL
  UNION ALL
  SELECT i.customer_id, hash('contact', i, i.opened_at <= q.as_of, i.opened_at >= q.since, i.resolved_at > q.as_of), NULL
  FROM core.fact_interactions i, params q WHERE i.customer_id IS NOT NULL
  UNION ALL
  SELECT w.customer_id, hash('session', w), NULL
  FROM core.fact_web_sessions w WHERE w.customer_id IS NOT NULL
  UNION ALL
  SELECT v.customer_id, hash('page', v, h.source), NULL
  FROM core.fact_page_views v LEFT JOIN staging.web_hits h ON h.hit_uid = v.hit_uid
  WHERE v.customer_id IS NOT NULL
  UNION ALL
  -- campaign history (built before customer_360, with its attribution rules)
  SELECT cc.customer_id, hash('campaign', cc), NULL
  FROM marts.campaign_contacts cc WHERE cc.customer_id IS NOT NULL
)
SELECT customer_id, count(*) AS n, sum(h) AS fp, max(household_id) AS household_id
FROM parts WHERE customer_id IS NOT NULL
GROUP BY customer_id;
