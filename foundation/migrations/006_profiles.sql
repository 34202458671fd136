-- Customer profiles (warehouse/profiles/): golden record, SCD2 history, lineage, facts.
-- dim_customer, lineage and the facts are rebuilt by every run; the history, its corrections,
-- the per-source record counts and the fact resolution summaries persist across runs.

CREATE TABLE core.dim_customer (
  customer_id    BIGINT NOT NULL,
  title          VARCHAR,
  first_name     VARCHAR,
  middle_name    VARCHAR,
  last_name      VARCHAR,
  full_name      VARCHAR,
  company        VARCHAR,
  email          VARCHAR,
  phone          VARCHAR,
  mobile         VARCHAR,
  address        VARCHAR,
  postcode       VARCHAR,
  city           VARCHAR,
  country        VARCHAR,
  birth_date     DATE,
  gender         VARCHAR,
  loyalty_card   VARCHAR,
  web_user_id    VARCHAR,
  consent_email  BOOLEAN,
  consent_phone  BOOLEAN,
  consent_sms    BOOLEAN,
  is_closed      BOOLEAN,
  is_deceased    BOOLEAN,
  is_deleted     BOOLEAN NOT NULL,
  household_id   BIGINT,
  source_count   INTEGER NOT NULL,
  record_count   INTEGER NOT NULL,
  systems        VARCHAR[] NOT NULL,
  first_seen_at  TIMESTAMPTZ,
  last_seen_at   TIMESTAMPTZ,
  updated_run_id VARCHAR,
  sources        VARCHAR[] NOT NULL,     -- source names (systems says which department)
  valid_from     TIMESTAMPTZ,            -- start of the current history version
  lineage_hash   VARCHAR                 -- fingerprint of the lineage (values, winning records, loads, rules)
);

CREATE TABLE core.dim_customer_history (
  customer_id    BIGINT NOT NULL,
  title          VARCHAR,
  first_name     VARCHAR,
  middle_name    VARCHAR,
  last_name      VARCHAR,
  full_name      VARCHAR,
  company        VARCHAR,
  email          VARCHAR,
  phone          VARCHAR,
  mobile         VARCHAR,
  address        VARCHAR,
  postcode       VARCHAR,
  city           VARCHAR,
  country        VARCHAR,
  birth_date     DATE,
  gender         VARCHAR,
  loyalty_card   VARCHAR,
  web_user_id    VARCHAR,
  consent_email  BOOLEAN,
  consent_phone  BOOLEAN,
  consent_sms    BOOLEAN,
  is_closed      BOOLEAN,
  is_deceased    BOOLEAN,
  household_id   BIGINT,                 -- as known when the version opened; not part of row_hash
  valid_from     TIMESTAMPTZ NOT NULL,
  valid_to       TIMESTAMPTZ NOT NULL,   -- 9999-12-31 for the current row
  is_current     BOOLEAN NOT NULL,
  is_deleted     BOOLEAN NOT NULL,
  row_hash       VARCHAR NOT NULL,       -- md5 over the tracked attributes and is_deleted
  run_id         VARCHAR NOT NULL,       -- run that wrote (or last corrected) the version
  change_reason  VARCHAR NOT NULL,       -- new | change | late_change | deleted | restored
  changed_attributes VARCHAR[],          -- attribute groups that differ from the version before
  changed_by     VARCHAR,                -- source.table of the newest record behind the change
  merged_into    BIGINT,                 -- set on the last version of an id retired by a merge
  recorded_at    TIMESTAMPTZ NOT NULL    -- when cdw wrote the version (transaction time)
);

-- Before-images of history rows changed in place (late-arriving changes split or correct
-- versions): history in core.dim_customer_history stays clean SCD2, nothing is lost.
CREATE TABLE core.customer_history_corrections AS
  SELECT *, NULL::VARCHAR AS corrected_run_id, NULL::VARCHAR AS correction, NULL::TIMESTAMPTZ AS corrected_at
  FROM core.dim_customer_history WITH NO DATA;

CREATE TABLE core.customer_attribute_lineage (
  customer_id  BIGINT NOT NULL,
  attribute    VARCHAR NOT NULL,
  value        VARCHAR,
  source       VARCHAR,
  source_table VARCHAR,
  record_key   VARCHAR,
  load_id      VARCHAR,
  rule         VARCHAR NOT NULL,
  run_id       VARCHAR NOT NULL,
  party_uid    VARCHAR,
  source_updated_at TIMESTAMPTZ
);

-- Records per customer and source as of the last run: what the shrink guard compares against.
CREATE TABLE core.customer_sources (
  customer_id BIGINT NOT NULL,
  source      VARCHAR NOT NULL,
  records     INTEGER NOT NULL
);

-- Party records per source per run; `accepted` is false when the shrink guard held the source.
CREATE TABLE core.profile_source_counts (
  run_id        VARCHAR NOT NULL,
  source        VARCHAR NOT NULL,
  party_records BIGINT NOT NULL,
  baseline      BIGINT,
  accepted      BOOLEAN NOT NULL,
  counted_at    TIMESTAMPTZ NOT NULL
);

-- Every id ever retired by a merge → the id that carries the customer now (transitively).
CREATE TABLE core.customer_id_map (
  old_id      BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  merged_at   TIMESTAMPTZ,
  reason      VARCHAR
);

CREATE TABLE core.fact_transactions (
  txn_uid          VARCHAR NOT NULL,
  customer_id      BIGINT,
  source           VARCHAR,
  source_table     VARCHAR,
  record_key       VARCHAR,
  kind             VARCHAR,
  amount           DOUBLE,
  cost             DOUBLE,
  currency         VARCHAR,
  quantity         DOUBLE,
  product          VARCHAR,
  product_category VARCHAR,
  channel          VARCHAR,
  store            VARCHAR,
  status           VARCHAR,
  occurred_at      TIMESTAMPTZ,
  resolved_by      VARCHAR
);

CREATE TABLE core.fact_interactions (
  interaction_uid VARCHAR NOT NULL,
  customer_id     BIGINT,
  source          VARCHAR,
  source_table    VARCHAR,
  record_key      VARCHAR,
  channel         VARCHAR,
  direction       VARCHAR,
  queue           VARCHAR,
  category        VARCHAR,
  is_complaint    BOOLEAN,
  is_abandoned    BOOLEAN,
  duration_s      DOUBLE,
  status          VARCHAR,
  opened_at       TIMESTAMPTZ,
  resolved_at     TIMESTAMPTZ,
  resolved_by     VARCHAR
);

CREATE TABLE core.fact_web_sessions (
  session_id   VARCHAR NOT NULL,
  customer_id  BIGINT,
  cookie_id    VARCHAR,
  user_id      VARCHAR,
  started_at   TIMESTAMPTZ,
  ended_at     TIMESTAMPTZ,
  hits         BIGINT,
  page_views   BIGINT,
  landing_path VARCHAR,
  is_bot       BOOLEAN,
  resolved_by  VARCHAR
);

CREATE TABLE core.fact_page_views (
  hit_uid     VARCHAR NOT NULL,
  session_id  VARCHAR,
  customer_id BIGINT,
  occurred_at TIMESTAMPTZ,
  path        VARCHAR,
  url         VARCHAR,
  status      INTEGER,
  referrer    VARCHAR,
  is_bot      BOOLEAN,
  resolved_by VARCHAR
);

-- One row per fact table per run: rows_in = rows_out + not_fact; rows_out = resolved + unresolved.
CREATE TABLE core.fact_resolution (
  run_id       VARCHAR NOT NULL,
  fact_table   VARCHAR NOT NULL,
  rows_in      BIGINT NOT NULL,
  rows_out     BIGINT NOT NULL,
  not_fact     BIGINT NOT NULL,          -- staging rows that are not facts of this table (static files)
  resolved     BIGINT NOT NULL,
  unresolved   BIGINT NOT NULL,
  by_party_key BIGINT NOT NULL,
  by_card      BIGINT NOT NULL,
  by_email     BIGINT NOT NULL,
  by_phone     BIGINT NOT NULL,
  by_user_id   BIGINT NOT NULL,
  by_cookie    BIGINT NOT NULL,
  recorded_at  TIMESTAMPTZ NOT NULL
);
