import type { Warehouse } from '../warehouse/duckdb-client.ts';
import { quoteIdent } from '../warehouse/sql.ts';

/**
 * Connected components by label propagation in SQL: every node takes the smallest label
 * among itself and its neighbours, then jumps to its label's label (pointer jumping), until
 * nothing changes. `edgesSql` selects columns `a, b` (BIGINT); the result is a temp table
 * `out(node, lab)` for every node that has an edge; `lab` is the smallest node of its component.
 */
export async function connectedComponents(wh: Warehouse, edgesSql: string, out: string, maxIterations = 100): Promise<number> {
  const t = quoteIdent(out);
  await wh.run(`CREATE OR REPLACE TEMP TABLE cc_edges AS SELECT a, b FROM (${edgesSql}) WHERE a <> b UNION ALL SELECT b, a FROM (${edgesSql}) WHERE a <> b`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE ${t} AS SELECT a AS node, least(a, min(b)) AS lab FROM cc_edges GROUP BY a`);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    await wh.run(`CREATE OR REPLACE TEMP TABLE cc_next AS
      SELECT x.node, least(x.lab, min(y.lab)) AS lab
      FROM ${t} x JOIN cc_edges e ON e.a = x.node JOIN ${t} y ON y.node = e.b
      GROUP BY x.node, x.lab`);
    await wh.run(`CREATE OR REPLACE TEMP TABLE cc_jump AS
      SELECT n.node, least(n.lab, j.lab) AS lab FROM cc_next n JOIN cc_next j ON j.node = n.lab`);
    const changed = Number(await wh.scalar(`SELECT count(*) FROM cc_jump j JOIN ${t} o USING (node) WHERE j.lab <> o.lab`));
    await wh.run(`CREATE OR REPLACE TEMP TABLE ${t} AS SELECT * FROM cc_jump`);
    if (changed === 0) break;
  }
  await wh.run('DROP TABLE IF EXISTS cc_edges; DROP TABLE IF EXISTS cc_next; DROP TABLE IF EXISTS cc_jump');
  return iterations + 1;
}
