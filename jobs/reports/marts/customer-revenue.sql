-- Purchases per customer, as of $1 (rules in purchases.sql). Money is in the customer's main
-- currency only (the one of most purchases, then of the latest purchase — amounts in different
-- currencies are never compared): `revenue`, `revenue_12m`,
-- `cost` never add RUB to USD; purchases in other currencies are in
-- marts.customer_revenue_by_currency and named in `other_currencies`. Counts and dates cover
-- every purchase. Time differences use epoch seconds: date_diff on TIMESTAMPTZ goes through
-- the calendar and is slow.
{{write}}
WITH params AS (SELECT $1::TIMESTAMPTZ - INTERVAL 365 DAY AS year_ago),
per_currency AS (
  SELECT customer_id, currency, count(*) AS n, max(occurred_at) AS last_at
  FROM mart_purchases GROUP BY customer_id, currency
),
main AS (
  SELECT customer_id,
         arg_max(currency, (n, last_at, coalesce(currency, ''))) AS currency,
         list_sort(list(currency) FILTER (WHERE currency IS NOT NULL)) AS currencies
  FROM per_currency GROUP BY customer_id
),
gaps AS (
  SELECT p.*, p.currency IS NOT DISTINCT FROM m.currency AS in_main,
         CASE WHEN p.amount > 0 THEN
           (epoch(p.occurred_at) - epoch(lag(p.occurred_at) OVER (PARTITION BY p.customer_id, p.amount > 0 ORDER BY p.occurred_at))) / 86400
         END AS gap_days
  FROM mart_purchases p JOIN main m USING (customer_id)
)
SELECT g.customer_id,
       count(*) FILTER (WHERE g.amount > 0) AS purchases,
       coalesce(sum(g.amount) FILTER (WHERE g.in_main), 0) AS revenue,
       any_value(m.currency) AS currency,
       list_filter(any_value(m.currencies), c -> c IS DISTINCT FROM any_value(m.currency)) AS other_currencies,
       coalesce(sum(g.amount) FILTER (WHERE g.in_main AND g.occurred_at >= p.year_ago), 0) AS revenue_12m,
       count(*) FILTER (WHERE g.amount > 0 AND g.occurred_at >= p.year_ago) AS purchases_12m,
       min(g.occurred_at) FILTER (WHERE g.amount > 0) AS first_purchase_at,
       max(g.occurred_at) FILTER (WHERE g.amount > 0) AS last_purchase_at,
       arg_max(g.product, g.occurred_at) FILTER (WHERE g.amount > 0 AND g.product IS NOT NULL) AS last_product,
       -- the latest purchase that came after more than a year without one
       max(g.occurred_at) FILTER (WHERE g.gap_days > 365) AS returned_at,
       sum(g.amount) FILTER (WHERE g.in_main AND g.cost IS NOT NULL) AS revenue_with_cost,
       sum(g.cost) FILTER (WHERE g.in_main) AS cost,
       arg_min(g.channel, g.occurred_at) FILTER (WHERE nullif(trim(g.channel), '') IS NOT NULL) AS first_channel
FROM gaps g JOIN main m USING (customer_id), params p
GROUP BY g.customer_id;
