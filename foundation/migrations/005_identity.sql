-- Identity resolution (identity/CONTEXT.md): persistent customer ids, their history,
-- analyst overrides, the model of every run, and the output contract tables.

-- Every customer id ever issued. Ids only grow; a retired id is never reused.
CREATE TABLE identity.customer_ids (
  customer_id  BIGINT NOT NULL,
  issued_run   VARCHAR NOT NULL,
  issued_at    TIMESTAMPTZ NOT NULL,
  retired_run  VARCHAR,                 -- set when merged into an older customer
  retired_into BIGINT
);

-- Any id ever issued → the id that means that person now (flattened merge chains).
CREATE TABLE identity.id_map (
  issued_id  BIGINT NOT NULL,
  current_id BIGINT NOT NULL
);

-- Merge and split events: a merge retires old_id into new_id; a split moves records of
-- old_id (which stays alive on the larger part) to new_id.
CREATE TABLE identity.id_history (
  old_id BIGINT NOT NULL,
  new_id BIGINT NOT NULL,
  event  VARCHAR NOT NULL,               -- merge | split
  run_id VARCHAR NOT NULL,
  reason VARCHAR,
  "at"   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp  -- "at" must be quoted in DuckDB
);

-- The customer each party record belonged to after its last run. Rows of records that left
-- every source stay, so a record that comes back gets its customer again.
CREATE TABLE identity.record_map (
  party_uid   VARCHAR NOT NULL,
  customer_id BIGINT NOT NULL,
  first_run   VARCHAR NOT NULL,
  last_run    VARCHAR NOT NULL,
  present     BOOLEAN NOT NULL
);

-- Analyst decisions between two records (party_uid_a < party_uid_b), applied every run.
CREATE TABLE identity.overrides (
  party_uid_a VARCHAR NOT NULL,
  party_uid_b VARCHAR NOT NULL,
  kind        VARCHAR NOT NULL,          -- must_link | cannot_link
  reason      VARCHAR,
  created_by  VARCHAR,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (party_uid_a, party_uid_b)
);

-- One row per identity run: sizes, the trained prior, how EM ended.
CREATE TABLE identity.model_runs (
  run_id             VARCHAR NOT NULL,
  records            BIGINT,
  candidate_pairs    BIGINT,
  random_pairs       BIGINT,
  prior              DOUBLE,             -- probability two random records match
  em_iterations      INTEGER,
  em_converged       BOOLEAN,
  match_threshold    DOUBLE,
  accepted_links     BIGINT,
  customers          BIGINT,
  new_customers      BIGINT,
  merges             BIGINT,
  splits             BIGINT,
  households         BIGINT,
  seconds            DOUBLE,
  finished_at        TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- m and u per comparison level, per run (weight = log2(m/u)).
CREATE TABLE identity.model_params (
  run_id     VARCHAR NOT NULL,
  comparison VARCHAR NOT NULL,
  level      INTEGER NOT NULL,
  label      VARCHAR NOT NULL,
  m          DOUBLE NOT NULL,
  u          DOUBLE NOT NULL,
  weight     DOUBLE NOT NULL,
  m_source   VARCHAR NOT NULL,           -- em | prior
  tf_adjusted BOOLEAN NOT NULL
);

-- Blocking rules of a run: pairs counted before building, and what happened.
CREATE TABLE identity.blocking_stats (
  run_id        VARCHAR NOT NULL,
  rule_no       INTEGER NOT NULL,
  rule          VARCHAR NOT NULL,
  pairs_counted BIGINT,
  pairs_new     BIGINT,
  largest_block BIGINT,
  status        VARCHAR NOT NULL,        -- built | skipped
  message       VARCHAR
);

-- Identifier values held by too many different people to link on their own. Values are
-- kept only as a hash and a mask, never in clear.
CREATE TABLE identity.shared_identifiers (
  run_id       VARCHAR NOT NULL,
  kind         VARCHAR NOT NULL,
  value_hash   VARCHAR NOT NULL,         -- sha256 of the value
  value_masked VARCHAR NOT NULL,
  holders      BIGINT NOT NULL,          -- distinct given names among the records holding it
  records      BIGINT NOT NULL,
  limit_used   INTEGER NOT NULL
);

-- Clusters the guards split (conflicting birth dates, cannot-links, oversized).
CREATE TABLE identity.cluster_splits (
  run_id  VARCHAR NOT NULL,
  records BIGINT NOT NULL,
  parts   BIGINT NOT NULL,
  reason  VARCHAR NOT NULL,
  sample_party_uid VARCHAR NOT NULL
);

-- Accepted links that hold the current customers together (last run).
CREATE TABLE identity.links (
  party_uid_l       VARCHAR NOT NULL,
  party_uid_r       VARCHAR NOT NULL,
  customer_id       BIGINT NOT NULL,
  linked_by         VARCHAR NOT NULL,
  match_weight      DOUBLE,
  match_probability DOUBLE,
  run_id            VARCHAR NOT NULL
);

-- Output contract: one row per party record.
CREATE TABLE core.customer_xref (
  customer_id       BIGINT NOT NULL,
  party_uid         VARCHAR NOT NULL,
  source            VARCHAR NOT NULL,
  source_table      VARCHAR NOT NULL,
  record_key        VARCHAR NOT NULL,
  match_probability DOUBLE NOT NULL,
  linked_by         VARCHAR NOT NULL,
  run_id            VARCHAR NOT NULL
);

-- Output contract: one row per customer in a household of two or more.
CREATE TABLE core.dim_household (
  household_id BIGINT NOT NULL,
  customer_id  BIGINT NOT NULL,
  address_key  VARCHAR,
  role         VARCHAR NOT NULL,         -- primary | member
  run_id       VARCHAR NOT NULL
);

-- The current customer id for any id ever issued; NULL for an id never issued.
CREATE MACRO identity.resolve_id(id) AS (SELECT m.current_id FROM identity.id_map m WHERE m.issued_id = id);

CREATE VIEW public.customer_id_map AS
  SELECT m.issued_id AS customer_id, m.current_id, m.issued_id <> m.current_id AS is_retired
  FROM identity.id_map m;
COMMENT ON VIEW public.customer_id_map IS 'Every customer_id ever issued and the customer_id that means the same person now (after merges).';
