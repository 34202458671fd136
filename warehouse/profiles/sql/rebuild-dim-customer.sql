-- core.dim_customer is the current history version of every customer not retired by a merge,
-- with tonight's counts (deleted customers: none) and the current household. profiles_prev_seen
-- is last night's dim_customer (first/last seen, lineage fingerprint), taken before the golden
-- records were built. Only the customers built tonight (profiles_scope) are rewritten: the
-- others' inputs, and so their rows, are what they were.
DELETE FROM core.dim_customer WHERE customer_id IN (SELECT customer_id FROM profiles_scope);

INSERT INTO core.dim_customer BY NAME
SELECT h.customer_id, {{history_columns}}, h.is_deleted,
       coalesce(g.household_id, CASE WHEN g.customer_id IS NULL THEN h.household_id END) AS household_id,
       coalesce(g.source_count, 0) AS source_count,
       coalesce(g.record_count, 0) AS record_count,
       coalesce(g.systems, []::VARCHAR[]) AS systems,
       coalesce(g.sources, []::VARCHAR[]) AS sources,
       least(g.first_seen_at, p.first_seen_at) AS first_seen_at,
       greatest(g.last_seen_at, p.last_seen_at) AS last_seen_at,
       h.run_id AS updated_run_id,
       h.valid_from,
       CASE WHEN x.customer_id IS NULL THEN coalesce(g.lineage_hash, p.lineage_hash) ELSE p.lineage_hash END AS lineage_hash
FROM core.dim_customer_history h
LEFT JOIN profiles_golden g ON g.customer_id = h.customer_id
LEFT JOIN profiles_prev_seen p ON p.customer_id = h.customer_id
LEFT JOIN profiles_held x ON x.customer_id = h.customer_id
WHERE h.is_current AND h.customer_id IN (SELECT customer_id FROM profiles_scope);

-- Lineage and per-source counts of held customers stay as they were last accepted.
DELETE FROM core.customer_sources
WHERE customer_id IN (SELECT customer_id FROM profiles_scope)
  AND NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = core.customer_sources.customer_id);

INSERT INTO core.customer_sources (customer_id, source, records, source_table)
SELECT s.customer_id, s.source, s.records, s.source_table
FROM profiles_customer_sources s
WHERE s.customer_id IN (SELECT customer_id FROM profiles_scope)
  AND NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = s.customer_id);
