-- The published web hits that go tonight: their key changed (it is restaged, perhaps with
-- another time or visitor), or their table is restaged whole or no longer configured. A pass
-- over all published hits, run only on a night web-hits-may-go.sql says some may go.
CREATE OR REPLACE TABLE {{gone}} AS
SELECT h.rowid AS _rid, {{visitor}} AS visitor, h.occurred_at
FROM {{web_hits}} AS h
LEFT JOIN {{plan}} t ON t.incremental AND t.source = h.source AND t.source_table = h.source_table
LEFT JOIN {{changed_keys}} c ON c.source = h.source AND c.source_table = h.source_table AND c.rk = h.record_key
WHERE t.source IS NULL OR c.rk IS NOT NULL
