-- The other members of each customer's household, one row each (customer_360.household_members
-- as rows): their id, name and role. What they hold is in marts.customer_products.
{{write}}
SELECT me.customer_id, other.customer_id AS member_id, c.full_name AS member_name, other.role,
       me.household_id
FROM core.dim_household me
JOIN core.dim_household other ON other.household_id = me.household_id AND other.customer_id <> me.customer_id
LEFT JOIN core.dim_customer c ON c.customer_id = other.customer_id
WHERE me.customer_id IN (FROM mart_scope)
ORDER BY me.customer_id, member_id;
