import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';

/**
 * Connected components by label propagation in SQL: every node takes the smallest label
 * among itself and its neighbours, then jumps to its label's label (pointer jumping), until
 * nothing changes. `edgesSql` selects columns `a, b` (BIGINT); the result is a temp table
 * `out(node, lab)` for every node that has an edge; `lab` is the smallest node of its component.
 */
export async function connectedComponents(
  wh: Warehouse,
  edgesSql: string,
  out: string,
  maxIterations = 100,
): Promise<number> {
  const t = quoteIdent(out);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE cc_edges AS SELECT a, b FROM (${edgesSql}) WHERE a <> b UNION ALL SELECT b, a FROM (${edgesSql}) WHERE a <> b`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE ${t} AS SELECT a AS node, least(a, min(b)) AS lab FROM cc_edges GROUP BY a`,
  );
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    await wh.run(`CREATE OR REPLACE TEMP TABLE cc_next AS
      WITH step AS (
        SELECT x.node, least(x.lab, min(y.lab)) AS lab
        FROM ${t} x JOIN cc_edges e ON e.a = x.node JOIN ${t} y ON y.node = e.b
        GROUP BY x.node, x.lab)
      SELECT s.node, least(s.lab, j.lab) AS lab, least(s.lab, j.lab) <> o.lab AS changed
      FROM step s JOIN step j ON j.node = s.lab JOIN ${t} o ON o.node = s.node`);
    const changed = Number(await wh.scalar('SELECT count(*) FILTER (WHERE changed) FROM cc_next'));
    await wh.run(`CREATE OR REPLACE TEMP TABLE ${t} AS SELECT node, lab FROM cc_next`);
    if (changed === 0) break;
  }
  await wh.run('DROP TABLE IF EXISTS cc_edges; DROP TABLE IF EXISTS cc_next');
  return iterations + 1;
}
