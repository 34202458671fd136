-- Rows rejected in run $1, by source table, stage and reason.
INSERT INTO marts.data_quality_rejections (run_id, source, source_table, stage, reason, rows)
SELECT run_id, source, source_table, coalesce(stage, 'extract'), reason, count(*)
FROM meta.rejected_rows
WHERE run_id = $1
GROUP BY run_id, source, source_table, coalesce(stage, 'extract'), reason;
