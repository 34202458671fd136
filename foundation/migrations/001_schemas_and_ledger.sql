-- Layers of the warehouse (DESIGN.md) and the run ledger.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS identity;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS public;

CREATE TABLE meta.runs (
  run_id      VARCHAR PRIMARY KEY,
  status      VARCHAR NOT NULL,          -- running | succeeded | partial | failed
  started_at  TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  trigger     VARCHAR NOT NULL,          -- cli | demo | schedule | server
  pid         INTEGER,
  host        VARCHAR,
  message     VARCHAR
);

CREATE TABLE meta.run_steps (
  run_id        VARCHAR NOT NULL,
  step          VARCHAR NOT NULL,        -- extract | transform | identity | profiles | marts | reports
  source        VARCHAR NOT NULL DEFAULT '',  -- '' for steps over the whole warehouse; source.table for extract
  status        VARCHAR NOT NULL,        -- running | succeeded | failed | skipped
  rows_in       BIGINT,
  rows_out      BIGINT,
  rows_rejected BIGINT,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ,
  error         VARCHAR,
  PRIMARY KEY (run_id, step, source)
);

CREATE TABLE meta.loads (
  load_id      VARCHAR PRIMARY KEY,
  run_id       VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  status       VARCHAR NOT NULL,         -- started | committed | failed
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  rows_landed  BIGINT,
  rows_rejected BIGINT
);

CREATE TABLE meta.source_state (
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  cursor_value VARCHAR,
  state        JSON,                     -- connector-specific (files seen, byte offsets, …)
  load_id      VARCHAR,
  updated_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (source, source_table)
);

CREATE TABLE meta.rejected_rows (
  run_id       VARCHAR NOT NULL,
  load_id      VARCHAR,
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  reason       VARCHAR NOT NULL,
  raw          VARCHAR,
  rejected_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
