-- The trend across nights, one row per run (kept across runs; the overview shows the latest run
-- of each business date).
CREATE TABLE IF NOT EXISTS marts.nightly_trend (
  run_id        VARCHAR PRIMARY KEY,
  business_date DATE NOT NULL,
  as_of         TIMESTAMPTZ NOT NULL,
  customers     BIGINT,
  new_customers BIGINT,
  merged        BIGINT,
  households    BIGINT,
  rows_landed   BIGINT,
  rows_rejected BIGINT,
  computed_at   TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS marts.nightly_revenue (
  run_id        VARCHAR NOT NULL,
  business_date DATE NOT NULL,
  currency      VARCHAR,
  revenue_day   DECIMAL(18, 2),
  revenue_12m   DECIMAL(18, 2),
  computed_at   TIMESTAMPTZ NOT NULL
);
