-- Every id retired by a merge → the id that carries the customer now, followed through chains
-- of merges (a → b, b → c gives a → c). Ids still in core.customer_xref are never retired.
DELETE FROM core.customer_id_map;

INSERT INTO core.customer_id_map (old_id, customer_id, merged_at, reason)
WITH RECURSIVE latest AS (
  SELECT old_id, arg_max(new_id, "at") AS new_id, max("at") AS merged_at, arg_max(reason, "at") AS reason
  FROM identity.id_history
  WHERE event = 'merge' AND old_id IS NOT NULL AND new_id IS NOT NULL AND old_id <> new_id
  GROUP BY old_id
),
chain (old_id, cur, merged_at, reason, depth) AS (
  SELECT old_id, new_id, merged_at, reason, 1 FROM latest
  UNION ALL
  SELECT c.old_id, l.new_id, c.merged_at, c.reason, c.depth + 1
  FROM chain c JOIN latest l ON l.old_id = c.cur
  WHERE c.depth < 64 AND l.new_id <> c.old_id
)
SELECT old_id, arg_max(cur, depth), any_value(merged_at), any_value(reason)
FROM chain
WHERE old_id NOT IN (SELECT customer_id FROM core.customer_xref)
GROUP BY old_id;
