-- A customer no source has any more (and not held by the shrink guard, not retired by a merge)
-- gets a last version marked deleted: the profile stays, history is not dropped. Losing its
-- records changed its inputs, so it is in profiles_scope.
CREATE OR REPLACE TEMP TABLE profiles_vanished AS
SELECT h.customer_id
FROM core.dim_customer_history h
WHERE h.is_current AND NOT h.is_deleted
  AND h.customer_id IN (SELECT customer_id FROM profiles_scope)
  AND NOT EXISTS (SELECT 1 FROM profiles_golden g WHERE g.customer_id = h.customer_id)
  AND NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = h.customer_id);

INSERT INTO core.dim_customer_history BY NAME
SELECT h.* REPLACE (
         greatest(c.now, h.valid_from + INTERVAL 1 MICROSECOND) AS valid_from,
         true AS is_deleted,
         {{deleted_hash}} AS row_hash,
         c.run_id AS run_id,
         'deleted' AS change_reason,
         NULL::VARCHAR[] AS changed_attributes,
         NULL::VARCHAR AS changed_by,
         c.now AS recorded_at)
FROM core.dim_customer_history h
JOIN profiles_vanished v ON v.customer_id = h.customer_id
CROSS JOIN profiles_ctx c
WHERE h.is_current;

UPDATE core.dim_customer_history AS h
SET valid_to = greatest(c.now, h.valid_from + INTERVAL 1 MICROSECOND), is_current = false
FROM profiles_vanished v, profiles_ctx c
WHERE h.customer_id = v.customer_id AND h.is_current AND NOT h.is_deleted;
