-- Published rows that tonight's changes replace: those of source tables not staged
-- incrementally tonight (restaged whole, or no longer configured), and those of the record keys
-- restaged tonight (a changed key whose latest version is deleted or rejected is replaced by
-- nothing).
DELETE FROM {{table}} WHERE rowid IN (
  SELECT p.rowid
  FROM {{table}} AS p
  LEFT JOIN {{plan}} t ON t.incremental AND t.source = p.source AND t.source_table = p.source_table
  LEFT JOIN {{changed_keys}} c ON c.source = p.source AND c.source_table = p.source_table AND c.rk = p.record_key
  WHERE t.source IS NULL OR c.rk IS NOT NULL
)
