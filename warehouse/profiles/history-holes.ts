import {
  ATTRIBUTE_GROUPS,
  DERIVED_TRACKED,
  trackedColumns,
  type AttributeColumn,
} from './attributes.ts';
import { rowHashSql } from './row-hash.ts';

/** `a.title, a.first_name, …` — every tracked column read from alias `a`. */
export function trackedList(alias: string): string {
  return trackedColumns()
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

/** SET clauses giving history rows `h` the golden values `g` of the groups in `d.changed`. */
export function setChangedGroups(): string {
  const sets = ATTRIBUTE_GROUPS.flatMap((grp) =>
    grp.columns.map(
      (c) =>
        `${c.name} = CASE WHEN list_contains(d.changed, '${grp.name}') THEN g.${c.name} ELSE h.${c.name} END`,
    ),
  );
  for (const c of DERIVED_TRACKED)
    sets.push(`${c} = CASE WHEN list_contains(d.changed, 'status') THEN g.${c} ELSE h.${c} END`);
  return sets.join(',\n    ');
}

/**
 * One SELECT per attribute group, unioned: the lineage rows of the non-empty golden values of
 * `g`, from the winning record (`<group>__rid` → `profiles_rec`), with the group's rule label
 * from `profiles_rules` and the run from `profiles_ctx`.
 */
export function lineageRows(): string {
  return ATTRIBUTE_GROUPS.map((grp) => {
    // A composed value (full name of the golden parts) has its lineage in its parts' rows.
    const value = (c: AttributeColumn) =>
      c.composedOf === undefined
        ? `CAST(g.${c.name} AS VARCHAR)`
        : `CASE WHEN coalesce(${c.composedOf.map((p) => `g.${p}`).join(', ')}) IS NULL THEN CAST(g.${c.name} AS VARCHAR) END`;
    const values = grp.columns
      .map((c) => `{'attribute': '${c.name}', 'value': ${value(c)}}`)
      .join(', ');
    return `SELECT customer_id, a.attribute, a.value, source, source_table, record_key, load_id, rule, run_id, party_uid, source_updated_at
FROM (
  SELECT g.customer_id, unnest([${values}]) AS a, r.source, r.source_table, r.record_key, r._load_id AS load_id,
         rl.label AS rule, c.run_id, r.party_uid, r.updated_at AS source_updated_at
  FROM g JOIN profiles_rec r ON r.rid = g.${grp.name}__rid
  CROSS JOIN profiles_ctx c JOIN profiles_rules rl ON rl.grp = '${grp.name}'
)
WHERE a.value IS NOT NULL`;
  }).join('\nUNION ALL\n');
}

export const historyHash = (): string => rowHashSql('h', 'h.is_deleted');
export const deletedHash = (): string => rowHashSql('h', 'true');
