import { ATTRIBUTE_GROUPS, DERIVED_TRACKED, composedColumns } from './attributes.ts';

/** The derived flags count as one pseudo-group for change detection, dated by the newest record. */
const STATUS = 'status';

/**
 * Builds the statement that compares tonight's golden records with the current history rows
 * into `profiles_diff(customer_id, kind, change_at, changed, changed_by, cur_from)`:
 * - `new` — no history yet; opens at the customer's first sight (capped at the run time);
 * - `change` — a tracked attribute differs; dated by the newest `updated_at` among the records
 *   behind the changed groups (the run time when one is unknown, or when identity re-clustered
 *   the customer tonight, because then the change is ours, not the source's);
 * - `late_change` — that date is not after the current version's start: placed in the past;
 * - `restored` — the current version is a deletion mark and the customer is back (run time).
 * Held customers (shrink guard) and unchanged ones are left out.
 */
export function historyDiffSql(): string {
  const groupCols = ATTRIBUTE_GROUPS.map((g) => ({
    name: g.name,
    cols: g.columns.map((c) => c.name),
    at: `g.${g.name}__upd`,
    src: `g.${g.name}__src`,
  }));
  const all = [
    ...groupCols,
    { name: STATUS, cols: [...DERIVED_TRACKED], at: 'g.last_seen_at', src: 'NULL' },
  ];
  const ch = (name: string) => `ch_${name}`;
  const flags = all.map(
    (x) => `(${x.cols.map((c) => `h.${c} IS DISTINCT FROM g.${c}`).join(' OR ')}) AS ${ch(x.name)}`,
  );
  // A group holding a composed column changes with its parts: only its own change is dated by it.
  const parts = new Map(composedColumns().map((c) => [c.group.name, c.partGroups]));
  const owns = (x: { name: string }) => {
    const p = parts.get(x.name);
    return p === undefined ? ch(x.name) : `(${ch(x.name)} AND NOT (${p.map(ch).join(' OR ')}))`;
  };
  const ats = all.map((x) => `CASE WHEN ${owns(x)} THEN ${x.at} END`);
  const changedBy = all.map((x) => `WHEN ${owns(x)} AND ${x.at} = src_at THEN ${x.src}`);
  const carried = groupCols.flatMap((x) => [`g.${x.name}__upd`, `g.${x.name}__src`]);

  return `
CREATE OR REPLACE TEMP TABLE profiles_diff AS
WITH cmp AS (
  SELECT g.customer_id, h.valid_from AS cur_from, coalesce(h.is_deleted, false) AS cur_deleted,
         h.customer_id IS NULL AS is_new, g.first_seen_at, g.last_seen_at,
         ${flags.join(',\n         ')},
         ${carried.join(', ')}
  FROM profiles_golden g
  LEFT JOIN core.dim_customer_history h ON h.customer_id = g.customer_id AND h.is_current
  WHERE NOT EXISTS (SELECT 1 FROM profiles_held x WHERE x.customer_id = g.customer_id)
    AND (h.customer_id IS NULL OR h.row_hash <> g.row_hash)
),
timed AS (
  SELECT g.*,
         list_filter([${all.map((x) => `CASE WHEN ${ch(x.name)} THEN '${x.name}' END`).join(', ')}], v -> v IS NOT NULL) AS changed,
         ${all.map((x) => `(${owns(x)} AND ${x.at} IS NULL)`).join(' OR ')} AS time_unknown,
         greatest(${ats.join(', ')}) AS src_at
  FROM cmp AS g
),
dated AS (
  SELECT g.customer_id, g.cur_from, g.cur_deleted, g.is_new, g.changed,
         CASE ${changedBy.join(' ')} END AS changed_by,
         CASE
           WHEN g.is_new THEN least(coalesce(g.first_seen_at, c.now), c.now)
           WHEN g.cur_deleted OR g.time_unknown OR g.src_at IS NULL
                OR g.customer_id IN (SELECT customer_id FROM profiles_reclustered) THEN c.now
           ELSE least(g.src_at, c.now)
         END AS change_at
  FROM timed g CROSS JOIN profiles_ctx c
)
SELECT customer_id, cur_from,
       CASE WHEN is_new THEN 'new'
            WHEN cur_deleted THEN 'restored'
            WHEN change_at <= cur_from THEN 'late_change'
            ELSE 'change' END AS kind,
       CASE WHEN is_new THEN change_at
            WHEN cur_deleted THEN greatest(change_at, cur_from + INTERVAL 1 MICROSECOND)
            ELSE change_at END AS change_at,
       CASE WHEN is_new THEN NULL ELSE changed END AS changed,
       CASE WHEN is_new THEN NULL ELSE changed_by END AS changed_by
FROM dated
-- A hash that differs with no attribute changed means the hash itself changed (a new tracked
-- column): not a version; apply-changes.sql re-hashes those rows in place.
WHERE is_new OR cur_deleted OR len(changed) > 0`;
}
