-- Ordinary SCD2: close the current version at the change time, open the new one there.
UPDATE core.dim_customer_history AS h
SET valid_to = d.change_at, is_current = false
FROM profiles_diff d
WHERE h.customer_id = d.customer_id AND h.is_current AND d.kind IN ('change', 'restored');

INSERT INTO core.dim_customer_history BY NAME
SELECT g.customer_id, {{golden_columns}}, g.household_id,
       d.change_at AS valid_from, TIMESTAMPTZ '9999-12-31 00:00:00+00' AS valid_to,
       true AS is_current, false AS is_deleted, g.row_hash, c.run_id,
       d.kind AS change_reason, d.changed AS changed_attributes, d.changed_by,
       NULL::BIGINT AS merged_into, c.now AS recorded_at
FROM profiles_diff d
JOIN profiles_golden g ON g.customer_id = d.customer_id
CROSS JOIN profiles_ctx c
WHERE d.kind IN ('new', 'change', 'restored');

-- Same attributes, different hash (the hash gained a column in a newer cdw): re-hash in place.
UPDATE core.dim_customer_history AS h
SET row_hash = g.row_hash
FROM profiles_golden g
WHERE h.customer_id = g.customer_id AND h.is_current AND NOT h.is_deleted AND h.row_hash <> g.row_hash
  AND NOT EXISTS (SELECT 1 FROM profiles_diff d WHERE d.customer_id = g.customer_id)
  AND NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = g.customer_id);
