-- Values that could not be typed in rows that were kept: the field is NULL in staging.
-- Recorded once per row version and reason, like rejected rows (reject-rows.sql).
INSERT INTO meta.rejected_rows (run_id, load_id, source, source_table, reason, raw, rejected_at, stage, location)
SELECT n.* FROM (
  SELECT $run_id AS run_id, t._load_id AS load_id, $source AS source, $source_table AS source_table,
         t.issue.field || ': ' || t.issue.reason || '; row kept with the value set to NULL' AS reason,
         CAST(to_json(r) AS VARCHAR) AS raw, current_timestamp AS rejected_at, 'staging_value' AS stage,
         {{location_sql}} AS location
  FROM (
    SELECT _rid, _load_id, record_key, unnest(_issues) AS issue
    FROM {{typed_table}}
    WHERE NOT _rejected AND len(_issues) > 0
  ) AS t
  JOIN {{raw_table}} AS r ON r.rowid = t._rid
) AS n
WHERE NOT EXISTS (
  SELECT 1 FROM meta.rejected_rows x
  WHERE x.stage = 'staging_value' AND x.source = n.source AND x.source_table = n.source_table
    AND x.load_id IS NOT DISTINCT FROM n.load_id AND x.location IS NOT DISTINCT FROM n.location
    AND x.reason = n.reason
)
