-- The published web hits that tonight's changes replace: every hit of a visitor who has a hit
-- restaged tonight or a published hit that goes (its key changed; its table is restaged whole
-- or no longer configured). A late hit can join two sessions or split one, so each such
-- visitor's hits are sessionised again, all of them. `gone`: the row itself is replaced.
CREATE OR REPLACE TABLE {{touched}} AS
WITH published AS (
  SELECT h.rowid AS _rid, {{visitor}} AS visitor, h.session_id, h.cookie_id, h.source, h.source_table, h.record_key
  FROM {{web_hits}} AS h
),
gone AS (
  SELECT p._rid, p.visitor
  FROM published p
  LEFT JOIN {{plan}} t ON t.incremental AND t.source = p.source AND t.source_table = p.source_table
  LEFT JOIN {{changed_keys}} c ON c.source = p.source AND c.source_table = p.source_table AND c.rk = p.record_key
  WHERE t.source IS NULL OR c.rk IS NOT NULL
),
visitors AS (
  SELECT visitor FROM gone
  UNION
  SELECT {{visitor}} FROM {{staged}} AS h
)
SELECT p._rid, p.session_id, p.cookie_id, p._rid IN (SELECT _rid FROM gone) AS gone
FROM published p
WHERE p.visitor IN (SELECT visitor FROM visitors)
