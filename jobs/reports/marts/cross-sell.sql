-- Cross-sell: in every household, each product one member holds and another member does not
-- (the wife's car is insured with us, the husband's is not). Grain: household, product and the
-- member who does not hold it. Deceased, closed and deleted members are not offered anything.
CREATE OR REPLACE TABLE marts.cross_sell AS
WITH members AS (
  SELECT h.household_id, h.customer_id
  FROM core.dim_household h
),
held AS (
  SELECT m.household_id, p.product, any_value(p.product_category) AS product_category,
         list_sort(list_distinct(list(m.customer_id))) AS holders
  FROM members m JOIN marts.customer_products p USING (customer_id)
  GROUP BY m.household_id, p.product
)
SELECT h.household_id, h.product, h.product_category,
       m.customer_id,
       c.full_name,
       h.holders,
       len(h.holders) AS holder_count,
       (SELECT count(*) FROM members a WHERE a.household_id = h.household_id) AS household_size
FROM held h
JOIN members m ON m.household_id = h.household_id AND NOT list_contains(h.holders, m.customer_id)
JOIN core.dim_customer c ON c.customer_id = m.customer_id
WHERE NOT coalesce(c.is_deceased, false) AND NOT coalesce(c.is_closed, false) AND NOT coalesce(c.is_deleted, false);
