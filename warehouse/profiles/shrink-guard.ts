import type { Warehouse } from '../../foundation/duckdb-client.ts';

/** Party records of one source tonight against the last accepted count. */
export interface SourceCount {
  readonly source: string;
  readonly records: number;
  /** Last count the guard accepted for this source; null the first time it is seen. */
  readonly baseline: number | null;
  /** The extract is empty or shrank by more than the allowed share. */
  readonly shrunk: boolean;
  /** Shrunk and not allowed by `profiles.allow_shrink`: its disappearances are held. */
  readonly held: boolean;
}

export interface ShrinkPolicy {
  readonly maxShrinkShare: number;
  readonly allowShrink: boolean | readonly string[];
}

/**
 * The shrink guard: a source whose party records tonight are none, or fewer than
 * `(1 - maxShrinkShare)` of the last accepted count, must not end-date or delete the customers it
 * no longer shows. It compares `staging.party_records` per source with the last accepted row of
 * `core.profile_source_counts` (a held night is stored as not accepted, so a truncated source
 * stays held night after night until it recovers or is allowed).
 */
export async function checkSourceCounts(
  wh: Warehouse,
  policy: ShrinkPolicy,
): Promise<SourceCount[]> {
  const rows = await wh.all<{ source: string; records: number; baseline: number | null }>(`
    WITH tonight AS (SELECT source, count(*) AS records FROM staging.party_records GROUP BY source),
    base AS (
      SELECT source, arg_max(party_records, counted_at) AS baseline
      FROM core.profile_source_counts WHERE accepted GROUP BY source
    )
    SELECT coalesce(t.source, b.source) AS source, coalesce(t.records, 0) AS records, b.baseline
    FROM tonight t FULL JOIN base b ON b.source = t.source
    ORDER BY 1`);
  return rows.map((r) => {
    const records = Number(r.records);
    const baseline = r.baseline === null ? null : Number(r.baseline);
    const shrunk =
      baseline !== null &&
      baseline > 0 &&
      (records === 0 || (baseline - records) / baseline > policy.maxShrinkShare);
    const allowed =
      policy.allowShrink === true ||
      (Array.isArray(policy.allowShrink) && policy.allowShrink.includes(r.source));
    return { source: r.source, records, baseline, shrunk, held: shrunk && !allowed };
  });
}

/** Stores tonight's counts; a held source's count is kept but not accepted as the new baseline. */
export async function recordSourceCounts(
  wh: Warehouse,
  runId: string,
  now: Date,
  counts: readonly SourceCount[],
): Promise<void> {
  for (const c of counts) {
    await wh.run(
      'INSERT INTO core.profile_source_counts VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ))',
      [runId, c.source, c.records, c.baseline, !c.held, now.toISOString()],
    );
  }
}
