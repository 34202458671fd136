-- This run's point of the trend: run $1, as of $2; $3 new customers (their first history row
-- is this run's) and $4 merged (ids this run retired into another), counted by the caller from
-- core.dim_customer_history and identity.id_history when they exist.
INSERT OR REPLACE INTO marts.nightly_trend
SELECT $1::VARCHAR, $2::TIMESTAMPTZ::DATE, $2::TIMESTAMPTZ,
       (SELECT count(*) FROM core.dim_customer WHERE NOT coalesce(is_deleted, false)),
       $3::BIGINT, $4::BIGINT,
       (SELECT count(DISTINCT household_id) FROM core.dim_household),
       (SELECT sum(rows_landed) FROM marts.data_quality WHERE run_id = $1),
       (SELECT coalesce(sum(rows_rejected), 0) + coalesce(sum(rows_rejected_staging), 0) FROM marts.data_quality WHERE run_id = $1),
       current_timestamp;
