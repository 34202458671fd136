-- Cookies seen with logins of exactly one customer.
CREATE OR REPLACE TEMP TABLE profiles_cookie AS
SELECT l.cookie_id, min(i.customer_id) AS customer_id
FROM staging.cookie_links l
JOIN profiles_ident i ON i.kind = 'user' AND i.value = lower(trim(l.user_id))
WHERE l.cookie_id IS NOT NULL
GROUP BY l.cookie_id
HAVING count(DISTINCT i.customer_id) = 1;
