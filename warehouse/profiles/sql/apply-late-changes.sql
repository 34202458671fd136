-- A change dated before the current version's start is placed where it happened: the version
-- covering that time is split there, and it and every later version take the changed
-- attributes. Before-images of every row touched go to core.customer_history_corrections.
INSERT INTO core.customer_history_corrections BY NAME
SELECT h.*, c.run_id AS corrected_run_id, 'late_change' AS correction, c.now AS corrected_at
FROM core.dim_customer_history h
JOIN profiles_diff d ON d.customer_id = h.customer_id AND d.kind = 'late_change'
CROSS JOIN profiles_ctx c
WHERE h.valid_to > d.change_at;

INSERT INTO core.dim_customer_history BY NAME
SELECT h.* REPLACE (d.change_at AS valid_from)
FROM core.dim_customer_history h
JOIN profiles_diff d ON d.customer_id = h.customer_id AND d.kind = 'late_change'
WHERE h.valid_from < d.change_at AND h.valid_to > d.change_at;

UPDATE core.dim_customer_history AS h
SET valid_to = d.change_at, is_current = false
FROM profiles_diff d
WHERE d.kind = 'late_change' AND h.customer_id = d.customer_id
  AND h.valid_from < d.change_at AND h.valid_to > d.change_at;

UPDATE core.dim_customer_history AS h
SET {{set_changed_groups}},
    change_reason = CASE WHEN h.valid_from = d.change_at THEN 'late_change' ELSE h.change_reason END,
    changed_attributes = CASE WHEN h.valid_from = d.change_at THEN d.changed ELSE h.changed_attributes END,
    changed_by = CASE WHEN h.valid_from = d.change_at THEN d.changed_by ELSE h.changed_by END,
    run_id = c.run_id
FROM profiles_diff d, profiles_golden g, profiles_ctx c
WHERE d.kind = 'late_change' AND g.customer_id = d.customer_id AND h.customer_id = d.customer_id
  AND h.valid_from >= d.change_at;

UPDATE core.dim_customer_history AS h
SET row_hash = {{history_hash}}
FROM profiles_diff d
WHERE d.kind = 'late_change' AND h.customer_id = d.customer_id AND h.valid_to > d.change_at;
