-- Where each golden value came from: one row per customer and non-empty attribute.
DELETE FROM core.customer_attribute_lineage
WHERE NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = core.customer_attribute_lineage.customer_id);

INSERT INTO core.customer_attribute_lineage BY NAME
WITH g AS (
  SELECT * FROM profiles_golden
  WHERE NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = profiles_golden.customer_id)
)
{{lineage_rows}};
