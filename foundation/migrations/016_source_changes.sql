-- Sources that change under cdw (issue 16): the columns each source table had at its last
-- committed load (the baseline of the schema contract), the changes each run found, what a load
-- could not read behind its cursor, and the shrink guard per source table.

CREATE TABLE meta.source_columns (
  source        VARCHAR NOT NULL,
  source_table  VARCHAR NOT NULL,
  column_name   VARCHAR NOT NULL,
  source_type   VARCHAR,                 -- as the source names it (text, numeric, VAR_STRING, DOUBLE); NULL when the source has no types (CSV, logs)
  position      INTEGER NOT NULL,
  first_load_id VARCHAR,                 -- the load that first saw it
  PRIMARY KEY (source, source_table, column_name)
);

CREATE TABLE meta.schema_changes (
  run_id       VARCHAR NOT NULL,
  load_id      VARCHAR,
  source       VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  column_name  VARCHAR NOT NULL,
  change       VARCHAR NOT NULL,         -- added | removed | retyped | missing (a mapped column the source never had)
  old_type     VARCHAR,
  new_type     VARCHAR,
  mapped       BOOLEAN NOT NULL,         -- the table's mapping, primary_key or cursor reads it
  read_by      VARCHAR,                  -- which of those keys: mapping.email, primary_key, cursor
  action       VARCHAR NOT NULL,         -- failed | warned | evolved | recorded
  location     VARCHAR,                  -- the file whose header showed it (file kinds)
  detected_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

ALTER TABLE meta.loads ADD COLUMN rows_behind_cursor BIGINT;  -- rows that appeared below the look-back window since the last load (not read)
ALTER TABLE meta.loads ADD COLUMN warnings VARCHAR;           -- what needs attention although the load committed

ALTER TABLE core.customer_sources ADD COLUMN source_table VARCHAR;
ALTER TABLE core.profile_source_counts ADD COLUMN source_table VARCHAR;
