-- Where each golden value came from, for the customers of this batch: one row per customer
-- and non-empty attribute. Only customers whose lineage fingerprint changed are rewritten
-- (values, winning records, their loads, rules); held and deleted customers keep theirs.
CREATE OR REPLACE TEMP TABLE profiles_lineage_todo AS
SELECT g.customer_id
FROM profiles_golden_batch g
LEFT JOIN profiles_prev_seen p ON p.customer_id = g.customer_id
WHERE p.lineage_hash IS DISTINCT FROM g.lineage_hash
  AND NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = g.customer_id);

DELETE FROM core.customer_attribute_lineage
WHERE customer_id IN (SELECT customer_id FROM profiles_lineage_todo);

INSERT INTO core.customer_attribute_lineage BY NAME
WITH g AS (
  SELECT * FROM profiles_golden_batch
  WHERE customer_id IN (SELECT customer_id FROM profiles_lineage_todo)
)
{{lineage_rows}};
