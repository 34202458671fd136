-- staging.web_hits: one row per request in the access logs, with its session.
CREATE OR REPLACE TABLE {{table}} (
  hit_uid VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  record_key VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  ip VARCHAR,
  cookie_id VARCHAR,
  user_id VARCHAR,
  "method" VARCHAR,
  url VARCHAR,
  path VARCHAR,
  status INTEGER,
  bytes BIGINT,
  referrer VARCHAR,
  user_agent VARCHAR,
  is_bot BOOLEAN NOT NULL,
  is_page BOOLEAN NOT NULL,
  session_id VARCHAR,
  session_started_at TIMESTAMPTZ,
  _load_id VARCHAR,
  _loaded_at TIMESTAMPTZ
)
