import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { type Comparison } from './comparisons.ts';
import { gammaColumn } from './comparison-sql.ts';

/** comparison → level → u */
export type UTable = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * u per level from `random_gammas`: the share of random pairs (with both sides present) on
 * each level, with half a pair added to every level so an unseen level is rare, not impossible.
 */
export async function estimateU(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<UTable> {
  const selects = comparisons.map(
    (c) =>
      `SELECT ${quoteLiteral(c.name)} AS comparison, ${gammaColumn(c)}::INTEGER AS level, count(*)::BIGINT AS n FROM random_gammas WHERE ${gammaColumn(c)} >= 0 GROUP BY 2`,
  );
  const rows = await wh.all<{ comparison: string; level: number; n: number }>(
    selects.join(' UNION ALL '),
  );
  const out = new Map<string, Map<number, number>>();
  for (const c of comparisons) {
    const counts = new Map(
      rows.filter((r) => r.comparison === c.name).map((r) => [r.level, Number(r.n)]),
    );
    const total = c.levels.reduce((s, lv) => s + (counts.get(lv.level) ?? 0) + 0.5, 0);
    out.set(
      c.name,
      new Map(c.levels.map((lv) => [lv.level, ((counts.get(lv.level) ?? 0) + 0.5) / total])),
    );
  }
  return out;
}
