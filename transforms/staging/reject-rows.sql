-- Rows that could not be typed: every reason, the raw row as JSON text, located by record key.
INSERT INTO meta.rejected_rows (run_id, load_id, source, source_table, reason, raw, rejected_at, stage, location)
SELECT $run_id, t._load_id, $source, $source_table,
       array_to_string(list_transform(t._issues, lambda i: i.field || ': ' || i.reason), '; '),
       CAST(to_json(r) AS VARCHAR), current_timestamp, 'staging', {{location_sql}}
FROM {{typed_table}} AS t JOIN {{raw_table}} AS r ON r.rowid = t._rid
WHERE t._rejected
