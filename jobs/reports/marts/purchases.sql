-- The purchases behind every revenue figure, as of $1 (a temp table the revenue marts read).
-- Revenue counts invoices, orders, sales and refunds (negative), never payments (they settle
-- invoices) and never order lines of a source that also has order headers (they would count
-- twice). Cancelled and void rows are left out, and so is anything after the as-of.
CREATE OR REPLACE TEMP TABLE mart_purchases AS
WITH order_sources AS (
  SELECT DISTINCT source FROM core.fact_transactions WHERE lower(kind) = 'order'
)
SELECT t.customer_id, t.occurred_at, t.amount, t.cost, t.channel, t.product,
       nullif(upper(trim(t.currency)), '') AS currency
FROM core.fact_transactions t
WHERE t.customer_id IS NOT NULL AND {{purchase_scope}} AND t.occurred_at IS NOT NULL AND t.amount IS NOT NULL
  AND t.occurred_at <= $1::TIMESTAMPTZ
  AND coalesce(lower(t.kind), '') <> 'payment'
  AND coalesce(lower(t.status), '') NOT IN ('cancelled', 'canceled', 'void', 'voided', 'failed', 'rejected')
  AND NOT (coalesce(lower(t.kind), '') = 'order_line' AND t.source IN (SELECT source FROM order_sources));
