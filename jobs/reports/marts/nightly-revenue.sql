-- This run's revenue per currency (never added across currencies): of the business date of $2
-- and of the 12 months before it. Replaces the run's earlier rows (DELETE first, in TS).
INSERT INTO marts.nightly_revenue
SELECT $1::VARCHAR, $2::TIMESTAMPTZ::DATE, currency,
       coalesce(sum(amount) FILTER (WHERE occurred_at::DATE = $2::TIMESTAMPTZ::DATE), 0),
       coalesce(sum(amount) FILTER (WHERE occurred_at >= $2::TIMESTAMPTZ - INTERVAL 365 DAY), 0),
       current_timestamp
FROM mart_purchases
GROUP BY currency;
