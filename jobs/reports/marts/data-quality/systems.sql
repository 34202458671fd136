-- Customers by the number of systems (departments) that know them — through a record or
-- through events, as in customer_360.known_to — for run $1.
INSERT INTO marts.data_quality_systems (run_id, systems, customers)
WITH known AS (
  SELECT customer_id, count(DISTINCT system) AS systems FROM marts.customer_systems GROUP BY customer_id
)
SELECT $1::VARCHAR, coalesce(k.systems, 0), count(*)
FROM core.dim_customer c LEFT JOIN known k USING (customer_id)
WHERE NOT coalesce(c.is_deleted, false)
GROUP BY ALL;
