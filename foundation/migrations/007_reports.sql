-- Reports and marts (jobs/reports/). Most marts are rebuilt by every run (CREATE OR REPLACE);
-- the data-quality marts keep one set of rows per run, so quality can be followed over time.

CREATE TABLE marts.data_quality (
  run_id                VARCHAR NOT NULL,
  source                VARCHAR NOT NULL,
  source_table          VARCHAR NOT NULL,
  entity                VARCHAR,            -- party | transaction | interaction | web_hit
  rows_read             BIGINT,             -- extract: rows read from the source in this run
  rows_landed           BIGINT,             -- extract: rows landed in raw.*
  rows_rejected         BIGINT,             -- extract: rows rejected while landing
  rows_staged           BIGINT,             -- transform: rows in staging
  rows_rejected_staging BIGINT,             -- transform: rows rejected while typing
  records               BIGINT,             -- current records of the table in staging
  customers             BIGINT,             -- party tables: distinct customers behind the records
  duplicate_records     BIGINT,             -- party tables: records - customers (same customer twice in one table)
  duplicate_rate        DOUBLE,
  matched_records       BIGINT,             -- party tables: records whose customer has records in another source
  match_rate            DOUBLE,
  linked_records        BIGINT,             -- events: records joined to a customer
  linked_share          DOUBLE,
  completeness          DOUBLE,             -- mean completeness of the mapped fields
  computed_at           TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (run_id, source, source_table)
);

CREATE TABLE marts.data_quality_rejections (
  run_id       VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  stage        VARCHAR NOT NULL,             -- extract | staging
  reason       VARCHAR NOT NULL,
  rows         BIGINT NOT NULL
);

CREATE TABLE marts.data_quality_fields (
  run_id       VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  entity       VARCHAR NOT NULL,
  field        VARCHAR NOT NULL,             -- canonical field; *_valid = standardised form usable
  records      BIGINT NOT NULL,
  filled       BIGINT NOT NULL,
  completeness DOUBLE
);

CREATE TABLE marts.data_quality_systems (
  run_id    VARCHAR NOT NULL,
  systems   INTEGER NOT NULL,                -- number of systems (departments) that know the customer
  customers BIGINT NOT NULL
);

-- Whether an interaction is an open ticket: not resolved and in an open status. Calls and
-- e-mails without a status are never "open": an unknown status must not block a customer.
CREATE MACRO marts.interaction_is_open(status, resolved_at) AS
  resolved_at IS NULL
  AND lower(trim(coalesce(status, ''))) IN
    ('open', 'new', 'pending', 'in progress', 'in_progress', 'escalated', 'waiting', 'reopened', 'on hold', 'on_hold', 'assigned');
