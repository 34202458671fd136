-- After a late-arriving change, neighbouring versions of the customers it touched may have
-- become identical: join them into one (their before-images are in the corrections table).
CREATE OR REPLACE TEMP TABLE profiles_islands AS
WITH r AS (
  SELECT h.customer_id, h.valid_from, h.valid_to, h.is_current, h.row_hash,
         lag(h.row_hash) OVER (PARTITION BY h.customer_id ORDER BY h.valid_from) AS prev_hash
  FROM core.dim_customer_history h
  WHERE h.customer_id IN (SELECT customer_id FROM profiles_diff WHERE kind = 'late_change')
),
s AS (
  SELECT *, sum(CASE WHEN prev_hash IS NOT DISTINCT FROM row_hash THEN 0 ELSE 1 END)
              OVER (PARTITION BY customer_id ORDER BY valid_from) AS island
  FROM r
)
SELECT customer_id, island, min(valid_from) AS first_from, max(valid_to) AS last_to, bool_or(is_current) AS any_current
FROM s
GROUP BY customer_id, island
HAVING count(*) > 1;

DELETE FROM core.dim_customer_history AS h
USING profiles_islands i
WHERE h.customer_id = i.customer_id AND h.valid_from > i.first_from AND h.valid_from < i.last_to;

UPDATE core.dim_customer_history AS h
SET valid_to = i.last_to, is_current = i.any_current
FROM profiles_islands i
WHERE h.customer_id = i.customer_id AND h.valid_from = i.first_from;
