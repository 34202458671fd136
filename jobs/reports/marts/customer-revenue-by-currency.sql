-- Revenue per customer and currency, as of $1: money is never added up across currencies.
{{write}}
SELECT customer_id, currency,
       count(*) FILTER (WHERE amount > 0) AS purchases,
       sum(amount) AS revenue,
       coalesce(sum(amount) FILTER (WHERE occurred_at >= $1::TIMESTAMPTZ - INTERVAL 365 DAY), 0) AS revenue_12m,
       max(occurred_at) FILTER (WHERE amount > 0) AS last_purchase_at
FROM mart_purchases
GROUP BY customer_id, currency;
