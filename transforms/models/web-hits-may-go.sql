-- Whether a published web hit may go tonight: a changed key of a table with published hits
-- that was staged before (a new hit's key has no published row: `seen` is false), or
-- a table with published hits not staged incrementally (restaged whole, no longer configured).
-- Else the published hits are not read hit by hit (web-hits-gone.sql costs a pass over all).
WITH pairs AS (
  SELECT DISTINCT source, source_table FROM {{web_hits}}
)
SELECT EXISTS (SELECT 1 FROM pairs p
               LEFT JOIN {{plan}} t ON t.incremental AND t.source = p.source AND t.source_table = p.source_table
               WHERE t.source IS NULL)
    OR EXISTS (SELECT 1 FROM {{changed_keys}} c
               WHERE c.seen AND EXISTS (SELECT 1 FROM pairs p WHERE p.source = c.source AND p.source_table = c.source_table))
  AS may_go
