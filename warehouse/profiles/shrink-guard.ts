import type { Warehouse } from '../../foundation/duckdb-client.ts';

/** Party records of one source, or of one table of a source, tonight against the last accepted count. */
export interface SourceCount {
  readonly source: string;
  /** Null for the source as a whole. */
  readonly table: string | null;
  readonly records: number;
  /** Last count the guard accepted; null the first time it is seen. */
  readonly baseline: number | null;
  /** The extract is empty or shrank by more than the allowed share (a table of a shrunk source is not reported twice). */
  readonly shrunk: boolean;
  /** Its disappearances are held: shrunk and not allowed by `profiles.allow_shrink`, or a table of a held source. */
  readonly held: boolean;
}

export interface ShrinkPolicy {
  readonly maxShrinkShare: number;
  /** `true`, or the sources (`pos`) and tables (`pos.sales`) allowed to shrink. */
  readonly allowShrink: boolean | readonly string[];
}

/** `billing` or `billing.customers`, as the guard names what it holds. */
export function unitName(c: Pick<SourceCount, 'source' | 'table'>): string {
  return c.table === null ? c.source : `${c.source}.${c.table}`;
}

/**
 * The shrink guard: a source — or one table of a source — whose party records tonight are none,
 * or fewer than `(1 - maxShrinkShare)` of the last accepted count, must not end-date or delete
 * the customers it no longer shows. Per table, so a table losing 90 % of its rows is held even
 * when its source as a whole shrank little. It compares `staging.party_records` per source and
 * per table with the last accepted row of `core.profile_source_counts` (a held night is stored
 * as not accepted, so a truncated extract stays held night after night until it recovers or is
 * allowed).
 */
export async function checkSourceCounts(
  wh: Warehouse,
  policy: ShrinkPolicy,
): Promise<SourceCount[]> {
  const rows = await wh.all<{
    source: string;
    source_table: string | null;
    records: number;
    baseline: number | null;
  }>(`
    WITH tonight AS (
      SELECT source, source_table, count(*) AS records FROM staging.party_records
      GROUP BY GROUPING SETS ((source), (source, source_table))
    ),
    base AS (
      SELECT source, source_table, arg_max(party_records, counted_at) AS baseline
      FROM core.profile_source_counts WHERE accepted GROUP BY source, source_table
    )
    SELECT coalesce(t.source, b.source) AS source, coalesce(t.source_table, b.source_table) AS source_table,
           coalesce(t.records, 0) AS records, b.baseline
    FROM tonight t FULL JOIN base b ON b.source = t.source AND b.source_table IS NOT DISTINCT FROM t.source_table
    ORDER BY 1, 2 NULLS FIRST`);
  const allowed = (name: string, source: string) =>
    policy.allowShrink === true ||
    (Array.isArray(policy.allowShrink) &&
      (policy.allowShrink.includes(source) || policy.allowShrink.includes(name)));
  const whole = new Map<string, { shrunk: boolean; held: boolean }>();
  const out: SourceCount[] = [];
  for (const r of rows) {
    const records = Number(r.records);
    const baseline = r.baseline === null ? null : Number(r.baseline);
    const dropped =
      baseline !== null &&
      baseline > 0 &&
      (records === 0 || (baseline - records) / baseline > policy.maxShrinkShare);
    const unit = { source: r.source, table: r.source_table };
    if (r.source_table === null) {
      const held = dropped && !allowed(r.source, r.source);
      whole.set(r.source, { shrunk: dropped, held });
      out.push({ ...unit, records, baseline, shrunk: dropped, held });
      continue;
    }
    const bySource = whole.get(r.source);
    const shrunk = dropped && bySource?.shrunk !== true;
    const held = (shrunk && !allowed(unitName(unit), r.source)) || bySource?.held === true;
    out.push({ ...unit, records, baseline, shrunk, held });
  }
  return out;
}

/** Stores tonight's counts; a held source's or table's count is kept but not accepted as the new baseline. */
export async function recordSourceCounts(
  wh: Warehouse,
  runId: string,
  now: Date,
  counts: readonly SourceCount[],
): Promise<void> {
  for (const c of counts) {
    await wh.run(
      'INSERT INTO core.profile_source_counts (run_id, source, party_records, baseline, accepted, counted_at, source_table) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ), $7)',
      [runId, c.source, c.records, c.baseline, !c.held, now.toISOString(), c.table],
    );
  }
}
