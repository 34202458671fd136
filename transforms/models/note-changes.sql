-- Notes in meta.staging_changes(model, uid) which published rows of an entity's table tonight's
-- changes replace, for the steps after the transform that work on what changed (profiles'
-- facts): the uid of every record key restaged tonight, or a NULL uid ("any row") when staging
-- is rebuilt or rows of a table not staged incrementally go. Those steps delete what they read.
INSERT INTO meta.staging_changes
SELECT $model, NULL
WHERE $rebuild OR EXISTS (
  SELECT 1 FROM {{table}} p
  LEFT JOIN {{plan}} t ON t.incremental AND t.source = p.source AND t.source_table = p.source_table
  WHERE t.source IS NULL)
  OR EXISTS (SELECT 1 FROM {{plan}} t WHERE t.entity = $entity AND NOT t.incremental)
UNION ALL
SELECT $model, c.source || '.' || c.source_table || ':' || c.rk
FROM {{changed_keys}} c
JOIN {{plan}} t ON t.incremental AND t.entity = $entity AND t.source = c.source AND t.source_table = c.source_table
WHERE NOT $rebuild
