-- Whether tonight changes no published web hit: nothing restaged, no changed key of a web table,
-- and every web table with published hits staged incrementally (else its hits go). Then the
-- published hits are not read hit by hit (web-hits-touched.sql costs a pass over all of them).
WITH pairs AS (
  SELECT DISTINCT source, source_table FROM {{web_hits}}
)
SELECT (SELECT count(*) FROM {{staged}})
     + (SELECT count(*) FROM pairs p
        LEFT JOIN {{plan}} t ON t.incremental AND t.source = p.source AND t.source_table = p.source_table
        WHERE t.source IS NULL)
     + (SELECT count(*) FROM {{changed_keys}} c
        WHERE EXISTS (SELECT 1 FROM pairs p WHERE p.source = c.source AND p.source_table = c.source_table)) = 0
  AS unchanged
