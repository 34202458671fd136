-- Where a rejected row was found, at which stage, and data-quality results.
ALTER TABLE meta.rejected_rows ADD COLUMN stage VARCHAR DEFAULT 'extract';   -- extract | staging
ALTER TABLE meta.rejected_rows ADD COLUMN location VARCHAR;                  -- file:line, byte offset, key

CREATE TABLE meta.dq_results (
  run_id      VARCHAR NOT NULL,
  check_name  VARCHAR NOT NULL,
  check_kind  VARCHAR NOT NULL,
  target      VARCHAR,
  severity    VARCHAR NOT NULL,          -- warn | error
  status      VARCHAR NOT NULL,          -- passed | failed
  failed_rows BIGINT NOT NULL,
  detail      VARCHAR,
  checked_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
