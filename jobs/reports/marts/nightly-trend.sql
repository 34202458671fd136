-- This run's point of the trend: run $1, as of $2. Customers are current ones; new customers
-- are ids issued by this run and still alive; merged counts ids this run retired into another.
INSERT OR REPLACE INTO marts.nightly_trend
SELECT $1::VARCHAR, $2::TIMESTAMPTZ::DATE, $2::TIMESTAMPTZ,
       (SELECT count(*) FROM core.dim_customer WHERE NOT coalesce(is_deleted, false)),
       (SELECT count(*) FROM identity.customer_ids WHERE issued_run = $1 AND retired_run IS NULL),
       (SELECT count(*) FROM identity.id_history WHERE run_id = $1 AND event = 'merge'),
       (SELECT count(DISTINCT household_id) FROM core.dim_household),
       (SELECT sum(rows_landed) FROM marts.data_quality WHERE run_id = $1),
       (SELECT coalesce(sum(rows_rejected), 0) + coalesce(sum(rows_rejected_staging), 0) FROM marts.data_quality WHERE run_id = $1),
       current_timestamp;
