-- Values that could not be typed in rows that were kept: the field is NULL in staging.
INSERT INTO meta.rejected_rows (run_id, load_id, source, source_table, reason, raw, rejected_at, stage, location)
SELECT $run_id, t._load_id, $source, $source_table,
       t.issue.field || ': ' || t.issue.reason || '; row kept with the value set to NULL',
       CAST(to_json(r) AS VARCHAR), current_timestamp, 'staging_value', {{location_sql}}
FROM (
  SELECT _rid, _load_id, record_key, unnest(_issues) AS issue
  FROM {{typed_table}}
  WHERE NOT _rejected AND len(_issues) > 0
) AS t
JOIN {{raw_table}} AS r ON r.rowid = t._rid
