import type { Warehouse } from '../foundation/duckdb-client.ts';
import { overridePairsSql } from './overrides.ts';

export interface IdAssignment {
  readonly customers: number;
  readonly newCustomers: number;
  readonly merges: number;
  readonly splits: number;
}

/**
 * Gives every final cluster a persistent customer id, into temp tables (nothing persistent is
 * written here; publish.ts does that in one transaction):
 * - `cluster_ids(cluster, customer_id, is_new)`;
 * - `id_merges(old_id, new_id, reason)`: ids retired because their records joined an older customer;
 * - `id_splits(old_id, new_id, reason)`: records of old_id that left it for another customer.
 *
 * Each id ever issued, resolved through earlier merges, goes "home" to the cluster holding most
 * of its records (ties: the smaller cluster key), so a split keeps the id on the larger part.
 * A cluster keeps the oldest (smallest) id that is home there; the other ids at home there are
 * merged into it. A cluster with no id at home gets a new id, above every id ever issued.
 */
export async function assignIds(wh: Warehouse): Promise<IdAssignment> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE prev AS
    SELECT f.cluster, f.rec_id, m.current_id AS old_id
    FROM final_clusters f
    JOIN id_records r USING (rec_id)
    JOIN identity.record_map rm ON rm.party_uid = r.party_uid
    JOIN identity.id_map m ON m.issued_id = rm.customer_id`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE old_home AS
    SELECT old_id, cluster FROM (
      SELECT old_id, cluster, row_number() OVER (PARTITION BY old_id ORDER BY n DESC, cluster) AS rn
      FROM (SELECT old_id, cluster, count(*) AS n FROM prev GROUP BY old_id, cluster))
    WHERE rn = 1`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE cluster_ids AS
    WITH kept AS (SELECT cluster, min(old_id) AS customer_id FROM old_home GROUP BY cluster),
    top AS (SELECT coalesce(max(customer_id), 0) AS top FROM identity.customer_ids),
    fresh AS (
      SELECT c.cluster, top.top + row_number() OVER (ORDER BY c.cluster) AS customer_id
      FROM (SELECT DISTINCT cluster FROM final_clusters) c CROSS JOIN top
      WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.cluster = c.cluster))
    SELECT cluster, customer_id, false AS is_new FROM kept
    UNION ALL SELECT cluster, customer_id, true FROM fresh`);

  await wh.run(`CREATE OR REPLACE TEMP TABLE id_merges AS
    WITH merged AS (
      SELECT h.old_id, c.customer_id AS new_id FROM old_home h JOIN cluster_ids c USING (cluster) WHERE h.old_id <> c.customer_id),
    crossing AS (
      SELECT m.old_id, k.linked_by FROM merged m JOIN prev pa ON pa.old_id = m.old_id
      JOIN kept_links k ON k.l = pa.rec_id LEFT JOIN prev pb ON pb.rec_id = k.r WHERE pb.old_id IS DISTINCT FROM m.old_id
      UNION ALL
      SELECT m.old_id, k.linked_by FROM merged m JOIN prev pa ON pa.old_id = m.old_id
      JOIN kept_links k ON k.r = pa.rec_id LEFT JOIN prev pb ON pb.rec_id = k.l WHERE pb.old_id IS DISTINCT FROM m.old_id)
    SELECT m.old_id, m.new_id,
      'records now linked to an older customer' || coalesce(' (by ' || (SELECT string_agg(DISTINCT c.linked_by, ', ' ORDER BY c.linked_by) FROM crossing c WHERE c.old_id = m.old_id) || ')', '') AS reason
    FROM merged m`);

  await wh.run(`CREATE OR REPLACE TEMP TABLE id_splits AS
    WITH moved AS (
      SELECT p.old_id, h.cluster AS home, p.cluster, count(*) AS n
      FROM prev p JOIN old_home h USING (old_id) WHERE p.cluster <> h.cluster GROUP BY ALL),
    cannot AS (
      SELECT fa.cluster AS ca, fb.cluster AS cb FROM (${overridePairsSql('cannot_link')}) c
      JOIN final_clusters fa ON fa.rec_id = c.l JOIN final_clusters fb ON fb.rec_id = c.r),
    guard AS (SELECT cluster, any_value(component) AS component, any_value(split_reason) AS split_reason FROM final_clusters GROUP BY cluster)
    SELECT mv.old_id, ci.customer_id AS new_id,
      CASE WHEN EXISTS (SELECT 1 FROM cannot c WHERE (c.ca = mv.home AND c.cb = mv.cluster) OR (c.cb = mv.home AND c.ca = mv.cluster))
             THEN 'cannot-link override'
           WHEN gh.component = gm.component AND gm.split_reason IS NOT NULL THEN 'split by guard: ' || gm.split_reason
           ELSE 'records no longer linked' END || ' (' || mv.n || ' record' || CASE WHEN mv.n = 1 THEN '' ELSE 's' END || ' moved)' AS reason
    FROM moved mv JOIN cluster_ids ci ON ci.cluster = mv.cluster
    JOIN guard gh ON gh.cluster = mv.home JOIN guard gm ON gm.cluster = mv.cluster`);

  const row = await wh.one<{
    customers: number;
    fresh: number;
    merges: number;
    splits: number;
  }>(`SELECT
    (SELECT count(*) FROM cluster_ids) AS customers, (SELECT count(*) FROM cluster_ids WHERE is_new) AS fresh,
    (SELECT count(*) FROM id_merges) AS merges, (SELECT count(*) FROM id_splits) AS splits`);
  return {
    customers: Number(row?.customers ?? 0),
    newCustomers: Number(row?.fresh ?? 0),
    merges: Number(row?.merges ?? 0),
    splits: Number(row?.splits ?? 0),
  };
}
