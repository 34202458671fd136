import { ATTRIBUTE_GROUPS, DERIVED_TRACKED, trackedColumns } from './attributes.ts';
import { rowHashSql } from './row-hash.ts';

/** `a.title, a.first_name, …` — every tracked column read from alias `a`. */
export function trackedList(alias: string): string {
  return trackedColumns().map((c) => `${alias}.${c}`).join(', ');
}

/** SET clauses giving history rows `h` the golden values `g` of the groups in `d.changed`. */
export function setChangedGroups(): string {
  const sets = ATTRIBUTE_GROUPS.flatMap((grp) =>
    grp.columns.map((c) => `${c.name} = CASE WHEN list_contains(d.changed, '${grp.name}') THEN g.${c.name} ELSE h.${c.name} END`),
  );
  for (const c of DERIVED_TRACKED) sets.push(`${c} = CASE WHEN list_contains(d.changed, 'status') THEN g.${c} ELSE h.${c} END`);
  return sets.join(',\n    ');
}

/**
 * One SELECT per golden column, unioned: the lineage row of each non-empty value of the golden
 * table `g`, with the group's rule label from `profiles_rules` and the run from `profiles_ctx`.
 */
export function lineageRows(): string {
  return ATTRIBUTE_GROUPS.flatMap((grp) =>
    grp.columns.map(
      (c) => `SELECT g.customer_id, '${c.name}' AS attribute, CAST(g.${c.name} AS VARCHAR) AS value,
       g.${grp.name}__w.source AS source, g.${grp.name}__w.source_table AS source_table,
       g.${grp.name}__w.record_key AS record_key, g.${grp.name}__w.load_id AS load_id,
       r.label AS rule, c.run_id, g.${grp.name}__w.uid AS party_uid, g.${grp.name}__w.upd AS source_updated_at
FROM g CROSS JOIN profiles_ctx c JOIN profiles_rules r ON r.grp = '${grp.name}'
WHERE g.${c.name} IS NOT NULL`,
    ),
  ).join('\nUNION ALL\n');
}

export const historyHash = (): string => rowHashSql('h', 'h.is_deleted');
export const deletedHash = (): string => rowHashSql('h', 'true');
