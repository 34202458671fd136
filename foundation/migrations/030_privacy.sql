-- Privacy (jobs/privacy/): erasures of a person on request, what keeps them erased, and the
-- `pii` grant of server users. Nothing here holds personal data: record keys of the source
-- systems, and identifiers only as salted hashes.
CREATE TABLE meta.erasures (
  erasure_id    VARCHAR PRIMARY KEY,
  customer_id   BIGINT NOT NULL,          -- the surviving id at the time of the erasure
  customer_ids  BIGINT[] NOT NULL,        -- every id ever issued to the person
  reason        VARCHAR NOT NULL,
  requested_by  VARCHAR NOT NULL,
  requested_at  TIMESTAMPTZ NOT NULL,
  status        VARCHAR NOT NULL,         -- erased (warehouse done, report files pending) | complete
  rows_by_layer JSON,                     -- {"raw": n, "staging": n, ...}
  completed_at  TIMESTAMPTZ,
  lifted_at     TIMESTAMPTZ,
  lifted_by     VARCHAR,
  lift_reason   VARCHAR
);
-- Source records of erased people: a later load of one of them is erased on arrival.
CREATE TABLE meta.erased_records (
  erasure_id    VARCHAR NOT NULL,
  source        VARCHAR NOT NULL,
  source_table  VARCHAR NOT NULL,
  record_key    VARCHAR NOT NULL,
  entity        VARCHAR NOT NULL
);
-- Identifiers of erased people (e-mail, phone, loyalty card, web user id) as salted SHA-256
-- hashes: a new record carrying one is erased on arrival.
CREATE TABLE meta.erased_identifiers (
  erasure_id    VARCHAR NOT NULL,
  kind          VARCHAR NOT NULL,
  value_hash    VARCHAR NOT NULL
);
-- Rows erased on arrival, per run and source table (the run summary counts them).
CREATE TABLE meta.erased_on_arrival (
  run_id        VARCHAR NOT NULL,
  source        VARCHAR NOT NULL,
  source_table  VARCHAR NOT NULL,
  rows_erased   BIGINT NOT NULL,
  erased_at     TIMESTAMPTZ NOT NULL
);
-- Grants of server users beyond their role: `pii` shows personal columns unmasked to an analyst.
CREATE TABLE meta.user_grants (
  name          VARCHAR NOT NULL,
  grant_name    VARCHAR NOT NULL,
  PRIMARY KEY (name, grant_name)
);
-- The salt of identifier hashes, one per warehouse.
CREATE TABLE meta.privacy_salt (salt VARCHAR NOT NULL);
INSERT INTO meta.privacy_salt SELECT md5(CAST(uuid() AS VARCHAR) || CAST(random() AS VARCHAR));
