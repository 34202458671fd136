-- Users of the PostgreSQL-protocol server (cdw serve). Passwords are never stored: only a
-- SCRAM-SHA-256 secret in PostgreSQL's format and, if asked for, the md5 hash for old clients.
CREATE TABLE meta.users (
  name          VARCHAR PRIMARY KEY,
  role          VARCHAR NOT NULL,        -- analyst | admin
  scram_secret  VARCHAR,                 -- SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>
  md5_hash      VARCHAR,                 -- md5(password || name), only with --md5
  created_at    TIMESTAMPTZ NOT NULL
);
