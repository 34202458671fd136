-- Products and services a customer holds: anything bought in a transaction that was not
-- cancelled, refunded or a payment. Grain: one row per customer and product.
{{write}}
SELECT customer_id,
       product,
       arg_max(product_category, occurred_at) AS product_category,
       min(occurred_at) AS first_at,
       max(occurred_at) AS last_at,
       count(*) AS transactions,
       sum(amount) AS amount
FROM core.fact_transactions
WHERE customer_id IN (FROM mart_scope)
  AND nullif(trim(product), '') IS NOT NULL
  AND coalesce(lower(kind), '') NOT IN ('refund', 'payment', 'credit_note')
  AND coalesce(lower(status), '') NOT IN ('cancelled', 'canceled', 'void', 'voided', 'failed', 'rejected', 'refunded')
GROUP BY customer_id, product;
