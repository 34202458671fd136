-- Every system (department) that knows a customer, per source: through a party record
-- (since the record was created) or through events (transactions, contacts, web visits).
-- Grain: one row per customer and source.
{{write}}
WITH party AS (
  SELECT x.customer_id, x.source, any_value(p.system) AS system, count(*) AS records,
         min(coalesce(p.created_at, p.updated_at, p._loaded_at)) AS first_at,
         max(coalesce(p.updated_at, p.created_at, p._loaded_at)) AS last_at
  FROM core.customer_xref x
  LEFT JOIN staging.party_records p ON p.party_uid = x.party_uid
  WHERE x.customer_id IN (FROM mart_scope)
  GROUP BY x.customer_id, x.source
),
txn AS (
  SELECT customer_id, source, count(*) AS n, min(occurred_at) AS first_at, max(occurred_at) AS last_at
  FROM core.fact_transactions WHERE customer_id IN (FROM mart_scope)
  GROUP BY customer_id, source
),
ints AS (
  SELECT customer_id, source, count(*) AS n, min(opened_at) AS first_at, max(opened_at) AS last_at
  FROM core.fact_interactions WHERE customer_id IN (FROM mart_scope)
  GROUP BY customer_id, source
),
web AS (
  SELECT v.customer_id, h.source, count(DISTINCT v.session_id) AS n, min(v.occurred_at) AS first_at, max(v.occurred_at) AS last_at
  FROM core.fact_page_views v JOIN staging.web_hits h ON h.hit_uid = v.hit_uid
  WHERE v.customer_id IN (FROM mart_scope)
  GROUP BY v.customer_id, h.source
),
keys AS (
  SELECT customer_id, source FROM party
  UNION SELECT customer_id, source FROM txn
  UNION SELECT customer_id, source FROM ints
  UNION SELECT customer_id, source FROM web
),
systems AS (SELECT source, any_value(system) AS system FROM marts.source_tables GROUP BY source)
SELECT k.customer_id,
       coalesce(s.system, p.system, k.source) AS system,
       k.source,
       least(p.first_at, t.first_at, i.first_at, w.first_at) AS first_seen,
       greatest(p.last_at, t.last_at, i.last_at, w.last_at) AS last_seen,
       coalesce(p.records, 0) AS records,
       coalesce(t.n, 0) AS transactions,
       coalesce(i.n, 0) AS interactions,
       coalesce(w.n, 0) AS web_sessions
FROM keys k
LEFT JOIN party p USING (customer_id, source)
LEFT JOIN txn t USING (customer_id, source)
LEFT JOIN ints i USING (customer_id, source)
LEFT JOIN web w USING (customer_id, source)
LEFT JOIN systems s USING (source);
