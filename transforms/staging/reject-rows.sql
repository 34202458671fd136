-- Rows that could not be typed: every reason, the raw row as JSON text, located by record key.
-- Recorded once: a row version (its load) already rejected for the same reasons by an earlier
-- run is not recorded again (the run's count of rejected rows still counts it).
INSERT INTO meta.rejected_rows (run_id, load_id, source, source_table, reason, raw, rejected_at, stage, location)
SELECT n.* FROM (
  SELECT $run_id AS run_id, t._load_id AS load_id, $source AS source, $source_table AS source_table,
         array_to_string(list_transform(t._issues, lambda i: i.field || ': ' || i.reason), '; ') AS reason,
         CAST(to_json(r) AS VARCHAR) AS raw, current_timestamp AS rejected_at, 'staging' AS stage,
         {{location_sql}} AS location
  FROM {{typed_table}} AS t JOIN {{raw_table}} AS r ON r.rowid = t._rid
  WHERE t._rejected
) AS n
WHERE NOT EXISTS (
  SELECT 1 FROM meta.rejected_rows x
  WHERE x.stage = 'staging' AND x.source = n.source AND x.source_table = n.source_table
    AND x.load_id IS NOT DISTINCT FROM n.load_id AND x.location IS NOT DISTINCT FROM n.location
    AND x.reason = n.reason
)
