import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { type Comparison } from './comparisons.ts';
import type { Model } from './model.ts';
import { scoreArbitraryPairs } from './pair-weight.ts';
import { connectedComponents } from './connected-components.ts';
import { constrainedClusters, type GuardedComponent } from './constrained-clusters.ts';
import { overridePairsSql } from './overrides.ts';

export interface ClusterOutcome {
  readonly iterations: number;
  /** Components the guards re-clustered (conflicts, cannot-links, oversized). */
  readonly guarded: number;
}

/** Components larger than this are guarded by size and cannot-links only (their pairs are not all scored). */
export const GUARD_MAX_COMPONENT = 1000;

/**
 * Clusters records over the accepted links into the temp table
 * `final_clusters(rec_id, cluster, component, split_reason)`: connected components first;
 * then each component holding two records the model tells apart — the evidence of their own
 * pair (its weight without the prior: two records with nothing to compare do not conflict) weighs
 * under `conflictWeight`, or has a certain conflict (two generational suffixes), or would not be linked
 * on its own (under `linkWeight`, the threshold's weight) while one comparison speaks strongly
 * against it (a level weighing `strongDisagreement` bits or less: on data where birth dates are
 * rarely wrong, two different ones): the chain went through records that lack what tells them
 * apart — a cannot-link
 * pair or more than `maxClusterSize` records is rebuilt from its strongest links
 * (constrained-clusters.ts) and listed in identity.cluster_splits. Also writes `kept_links`:
 * accepted links inside a final cluster. Pairs of a component that are candidate pairs take
 * their levels from `pair_gammas`; only the others are compared.
 */
export async function clusterRecords(
  wh: Warehouse,
  scoring: { comparisons: readonly Comparison[]; model: Model; certainConflict: string },
  opts: {
    maxClusterSize: number;
    conflictWeight: number;
    linkWeight: number;
    strongDisagreement: number;
    runId: string;
  },
): Promise<ClusterOutcome> {
  const iterations = await connectedComponents(
    wh,
    'SELECT l::BIGINT AS a, r::BIGINT AS b FROM accepted',
    'cc_lab',
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE final_clusters AS
    SELECT r.rec_id, coalesce(c.lab, r.rec_id)::BIGINT AS cluster, coalesce(c.lab, r.rec_id)::BIGINT AS component, NULL::VARCHAR AS split_reason
    FROM id_records r LEFT JOIN cc_lab c ON c.node = r.rec_id`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE comp_size AS
    SELECT component, count(*) AS n FROM final_clusters GROUP BY component HAVING count(*) > 1`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE rec_sig AS
    SELECT f.component, f.rec_id, f.rec_id::BIGINT AS sig FROM final_clusters f JOIN comp_size USING (component)`);
  // every pair of records of a component of three or more (a pair of two is its own link)
  await scoreArbitraryPairs(
    wh,
    scoring.comparisons,
    scoring.model,
    `SELECT a.rec_id AS l, b.rec_id AS r FROM rec_sig a JOIN rec_sig b ON b.component = a.component AND a.rec_id < b.rec_id
     WHERE a.component IN (SELECT component FROM comp_size WHERE n > 2 AND n <= ${GUARD_MAX_COMPONENT})`,
    'guard_pairs',
    // most pairs inside a component are candidate pairs, compared already
    'pair_gammas',
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE sig_conflicts AS
     SELECT f.component, g.l AS a, g.r AS b FROM guard_pairs g JOIN final_clusters f ON f.rec_id = g.l
     WHERE g.evidence_weight < $1 OR (${scoring.certainConflict})
        OR (g.match_weight < $2 AND g.lowest_level_weight <= $3)`,
    [opts.conflictWeight, opts.linkWeight, opts.strongDisagreement],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE cannot_in AS
    SELECT fa.component, c.l, c.r FROM (${overridePairsSql('cannot_link')}) c
    JOIN final_clusters fa ON fa.rec_id = c.l JOIN final_clusters fb ON fb.rec_id = c.r
    WHERE fa.component = fb.component`);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE affected AS
     SELECT component, string_agg(reason, ' + ' ORDER BY reason) AS reason FROM (
       SELECT component, 'oversized' AS reason FROM comp_size WHERE n > $1
       UNION SELECT component, 'records the model tells apart' FROM sig_conflicts
       UNION SELECT component, 'cannot-link' FROM cannot_in
     ) GROUP BY component`,
    [opts.maxClusterSize],
  );
  const guarded = await reclusterAffected(wh, opts.maxClusterSize);
  await wh.run(
    `INSERT INTO identity.cluster_splits
     SELECT $1, count(*), count(DISTINCT f.cluster), any_value(a.reason), min(r.party_uid)
     FROM final_clusters f JOIN affected a USING (component) JOIN id_records r USING (rec_id)
     GROUP BY f.component`,
    [opts.runId],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE kept_links AS
    SELECT a.*, fa.cluster FROM accepted a
    JOIN final_clusters fa ON fa.rec_id = a.l JOIN final_clusters fb ON fb.rec_id = a.r
    WHERE fa.cluster = fb.cluster`);
  await wh.run(
    'DROP TABLE IF EXISTS cc_lab; DROP TABLE IF EXISTS comp_size; DROP TABLE IF EXISTS rec_sig; DROP TABLE IF EXISTS guard_pairs',
  );
  return { iterations, guarded };
}

async function reclusterAffected(wh: Warehouse, maxSize: number): Promise<number> {
  const nodes = await wh.all<{ component: number; rec_id: number; sig: number }>(
    'SELECT s.component, s.rec_id, s.sig FROM rec_sig s JOIN affected USING (component)',
  );
  if (nodes.length === 0) return 0;
  const edges = await wh.all<{
    component: number;
    l: number;
    r: number;
    priority: number;
    match_weight: number | null;
  }>(
    'SELECT f.component, a.l, a.r, a.priority, a.match_weight FROM accepted a JOIN final_clusters f ON f.rec_id = a.l JOIN affected USING (component)',
  );
  const conflicts = await wh.all<{ component: number; a: number; b: number }>(
    'SELECT d.component, d.a, d.b FROM sig_conflicts d JOIN affected USING (component)',
  );
  const cannot = await wh.all<{ component: number; l: number; r: number }>(
    'SELECT component, l, r FROM cannot_in',
  );
  const comps = new Map<
    number,
    {
      nodes: { id: number; sig: number }[];
      edges: GuardedComponent['edges'][number][];
      conflicts: Set<string>;
      cannot: [number, number][];
    }
  >();
  const get = (k: number) => {
    let c = comps.get(k);
    if (!c) comps.set(k, (c = { nodes: [], edges: [], conflicts: new Set(), cannot: [] }));
    return c;
  };
  for (const n of nodes) get(n.component).nodes.push({ id: n.rec_id, sig: n.sig });
  for (const e of edges)
    get(e.component).edges.push({ l: e.l, r: e.r, priority: e.priority, weight: e.match_weight });
  for (const d of conflicts) get(d.component).conflicts.add(`${d.a}|${d.b}`);
  for (const c of cannot) get(c.component).cannot.push([c.l, c.r]);
  const recIds: number[] = [];
  const clusters: number[] = [];
  for (const c of comps.values()) {
    const result = constrainedClusters({
      nodes: c.nodes,
      edges: c.edges,
      conflicts: c.conflicts,
      cannotLinks: c.cannot,
      maxSize,
    });
    for (const [rec, cluster] of result) {
      recIds.push(rec);
      clusters.push(cluster);
    }
  }
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE guard_result AS SELECT unnest($1::INTEGER[]) AS rec_id, unnest($2::BIGINT[]) AS cluster',
    [listValue(recIds), listValue(clusters)],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE final_clusters AS
    SELECT f.rec_id, coalesce(g.cluster, f.cluster) AS cluster, f.component, a.reason AS split_reason
    FROM final_clusters f LEFT JOIN guard_result g USING (rec_id) LEFT JOIN affected a USING (component)`);
  return comps.size;
}
