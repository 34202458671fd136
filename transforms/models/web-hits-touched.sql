-- The published web hits that tonight's changes replace: each touched visitor's hits from where
-- they are sessionised again (web-hits-from.sql) on, whole (the ones that stay are sessionised
-- again, web-hits-rehits.sql; cookie links and sessions are updated from them). `gone`: the
-- row itself is replaced (web-hits-gone.sql). Reads the hits from $from, the earliest of them.
CREATE OR REPLACE TABLE {{touched}} AS
SELECT h.rowid AS _rid, h.*, g._rid IS NOT NULL AS gone
FROM {{web_hits}} AS h
JOIN {{from}} f ON f.visitor = {{visitor}} AND h.occurred_at >= f.from_at
LEFT JOIN {{gone}} g ON g._rid = h.rowid
WHERE h.occurred_at >= CAST($from AS TIMESTAMPTZ)
