-- An id retired by a merge keeps its rows under its own id (history is never re-pointed);
-- its current version is closed at the merge time and says which id it was merged into.
-- public.customer_history shows these rows under the surviving id. A retired id loses its xref
-- rows, so its inputs changed and it is in profiles_scope.
CREATE OR REPLACE TEMP TABLE profiles_retired AS
SELECT h.customer_id AS old_id, m.customer_id AS new_id,
       CASE WHEN m.merged_at > h.valid_from AND m.merged_at <= c.now THEN m.merged_at ELSE c.now END AS closed_at
FROM core.dim_customer_history h
JOIN core.customer_id_map m ON m.old_id = h.customer_id
CROSS JOIN profiles_ctx c
WHERE h.is_current
  AND h.customer_id IN (SELECT customer_id FROM profiles_scope)
  AND NOT EXISTS (SELECT 1 FROM profiles_golden g WHERE g.customer_id = h.customer_id);

UPDATE core.dim_customer_history AS h
SET valid_to = r.closed_at, is_current = false, merged_into = r.new_id
FROM profiles_retired r
WHERE h.customer_id = r.old_id AND h.is_current;

-- Their lineage goes: the surviving id has its own.
DELETE FROM core.customer_attribute_lineage WHERE customer_id IN (SELECT old_id FROM profiles_retired);
