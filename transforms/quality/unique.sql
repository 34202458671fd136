-- Rows that share their value with another row.
SELECT coalesce(sum(n), 0) AS failed
FROM (SELECT count(*) AS n FROM {{table}} WHERE {{filter}} AND {{column}} IS NOT NULL GROUP BY {{column}} HAVING count(*) > 1)
