-- Per source table for run $1: rows read, landed and rejected (from the run ledger), records
-- now in staging, duplicates inside the table (records sharing a customer_id), the share of
-- records matched to another source (party) or linked to a customer (events), completeness.
INSERT INTO marts.data_quality (run_id, source, source_table, entity, rows_read, rows_landed, rows_rejected,
  rows_staged, rows_rejected_staging, records, customers, duplicate_records, duplicate_rate, matched_records,
  match_rate, linked_records, linked_share, completeness, computed_at)
WITH params AS (SELECT $1::VARCHAR AS run_id),
steps AS (
  SELECT split_part(s.source, '.', 1) AS source, split_part(s.source, '.', 2) AS source_table,
         s.step, s.rows_in, s.rows_out, s.rows_rejected
  FROM meta.run_steps s, params p
  WHERE s.run_id = p.run_id AND s.step IN ('extract', 'transform') AND s.source LIKE '%.%'
),
tables AS (
  SELECT source, source_table, max(entity) AS entity FROM (
    SELECT source, source_table, entity FROM marts.source_tables
    UNION ALL SELECT DISTINCT source, source_table, 'party' FROM staging.party_records
    UNION ALL SELECT DISTINCT source, source_table, 'transaction' FROM staging.transactions
    UNION ALL SELECT DISTINCT source, source_table, 'interaction' FROM staging.interactions
    UNION ALL SELECT DISTINCT source, source_table, 'web_hit' FROM staging.web_hits
    UNION ALL SELECT DISTINCT source, source_table, NULL FROM steps
    UNION ALL SELECT DISTINCT r.source, r.source_table, NULL FROM meta.rejected_rows r, params p WHERE r.run_id = p.run_id
  ) GROUP BY source, source_table
),
customer_sources AS (
  SELECT customer_id, count(DISTINCT source) AS sources FROM core.customer_xref GROUP BY customer_id
),
party AS (
  SELECT x.source, x.source_table, count(*) AS records, count(DISTINCT x.customer_id) AS customers,
         count(*) FILTER (WHERE cs.sources > 1) AS matched
  FROM core.customer_xref x JOIN customer_sources cs USING (customer_id)
  GROUP BY x.source, x.source_table
),
events AS (
  SELECT source, source_table, count(*) AS records, count(customer_id) AS linked
  FROM core.fact_transactions GROUP BY source, source_table
  UNION ALL
  SELECT source, source_table, count(*), count(customer_id)
  FROM core.fact_interactions GROUP BY source, source_table
  UNION ALL
  -- web hits: bots are never linked, so the share is over the hits of people
  SELECT h.source, h.source_table, count(*) FILTER (WHERE NOT coalesce(h.is_bot, false)), count(v.customer_id)
  FROM staging.web_hits h LEFT JOIN core.fact_page_views v ON v.hit_uid = h.hit_uid
  GROUP BY h.source, h.source_table
),
staged AS (
  SELECT source, source_table, count(*) AS records FROM (
    SELECT source, source_table FROM staging.party_records
    UNION ALL SELECT source, source_table FROM staging.transactions
    UNION ALL SELECT source, source_table FROM staging.interactions
    UNION ALL SELECT source, source_table FROM staging.web_hits
  ) GROUP BY source, source_table
),
rejected AS (
  SELECT r.source, r.source_table,
         count(*) FILTER (WHERE coalesce(r.stage, 'extract') = 'extract') AS extract,
         count(*) FILTER (WHERE r.stage = 'staging') AS staging
  FROM meta.rejected_rows r, params p WHERE r.run_id = p.run_id
  GROUP BY r.source, r.source_table
),
completeness AS (
  SELECT f.source, f.source_table, avg(f.completeness) AS completeness
  FROM marts.data_quality_fields f, params p WHERE f.run_id = p.run_id
  GROUP BY f.source, f.source_table
)
SELECT p.run_id, t.source, t.source_table, t.entity,
       ex.rows_in, ex.rows_out, coalesce(ex.rows_rejected, rj.extract),
       tr.rows_out, coalesce(tr.rows_rejected, rj.staging),
       coalesce(st.records, pa.records, ev.records),
       pa.customers,
       pa.records - pa.customers,
       (pa.records - pa.customers) / nullif(pa.records, 0),
       pa.matched,
       pa.matched / nullif(pa.records, 0),
       coalesce(ev.linked, pa.records),
       coalesce(ev.linked / nullif(ev.records, 0), CASE WHEN pa.records > 0 THEN 1.0 END),
       co.completeness,
       current_timestamp
FROM tables t
CROSS JOIN params p
LEFT JOIN steps ex ON ex.step = 'extract' AND ex.source = t.source AND ex.source_table = t.source_table
LEFT JOIN steps tr ON tr.step = 'transform' AND tr.source = t.source AND tr.source_table = t.source_table
LEFT JOIN staged st ON st.source = t.source AND st.source_table = t.source_table
LEFT JOIN party pa ON pa.source = t.source AND pa.source_table = t.source_table
LEFT JOIN events ev ON ev.source = t.source AND ev.source_table = t.source_table
LEFT JOIN rejected rj ON rj.source = t.source AND rj.source_table = t.source_table
LEFT JOIN completeness co ON co.source = t.source AND co.source_table = t.source_table;
