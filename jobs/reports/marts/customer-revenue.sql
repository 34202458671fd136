-- Purchases per customer, as of $1. Revenue counts invoices, orders, sales and refunds
-- (negative), never payments (they settle invoices) and never order lines of a source that
-- also has order headers (they would count twice). Cancelled and void rows are left out.
-- Amounts are summed as recorded: `currency` is the customer's one currency, or 'mixed'.
-- Time differences use epoch seconds: date_diff on TIMESTAMPTZ goes through the calendar and is slow.
CREATE OR REPLACE TABLE marts.customer_revenue AS
WITH params AS (SELECT $1::TIMESTAMPTZ - INTERVAL 365 DAY AS year_ago),
order_sources AS (
  SELECT DISTINCT source FROM core.fact_transactions WHERE lower(kind) = 'order'
),
purchases AS (
  SELECT t.customer_id, t.occurred_at, t.amount, t.cost, t.channel, t.product, nullif(upper(trim(t.currency)), '') AS currency
  FROM core.fact_transactions t
  WHERE t.customer_id IS NOT NULL AND t.occurred_at IS NOT NULL AND t.amount IS NOT NULL
    AND coalesce(lower(t.kind), '') <> 'payment'
    AND coalesce(lower(t.status), '') NOT IN ('cancelled', 'canceled', 'void', 'voided', 'failed', 'rejected')
    AND NOT (coalesce(lower(t.kind), '') = 'order_line' AND t.source IN (SELECT source FROM order_sources))
),
gaps AS (
  SELECT *,
         CASE WHEN amount > 0 THEN
           (epoch(occurred_at) - epoch(lag(occurred_at) OVER (PARTITION BY customer_id, amount > 0 ORDER BY occurred_at))) / 86400
         END AS gap_days
  FROM purchases
)
SELECT g.customer_id,
       count(*) FILTER (WHERE g.amount > 0) AS purchases,
       sum(g.amount) AS revenue,
       CASE count(DISTINCT g.currency) WHEN 0 THEN NULL WHEN 1 THEN any_value(g.currency) ELSE 'mixed' END AS currency,
       coalesce(sum(g.amount) FILTER (WHERE g.occurred_at >= p.year_ago), 0) AS revenue_12m,
       count(*) FILTER (WHERE g.amount > 0 AND g.occurred_at >= p.year_ago) AS purchases_12m,
       min(g.occurred_at) FILTER (WHERE g.amount > 0) AS first_purchase_at,
       max(g.occurred_at) FILTER (WHERE g.amount > 0) AS last_purchase_at,
       arg_max(g.product, g.occurred_at) FILTER (WHERE g.amount > 0 AND g.product IS NOT NULL) AS last_product,
       -- the latest purchase that came after more than a year without one
       max(g.occurred_at) FILTER (WHERE g.gap_days > 365) AS returned_at,
       sum(g.amount) FILTER (WHERE g.cost IS NOT NULL) AS revenue_with_cost,
       sum(g.cost) AS cost,
       arg_min(g.channel, g.occurred_at) FILTER (WHERE nullif(trim(g.channel), '') IS NOT NULL) AS first_channel
FROM gaps g, params p
GROUP BY g.customer_id;
