import type { RuleName } from './attributes.ts';
import { rowHashSql } from './row-hash.ts';
import type { GroupRule } from './survivorship.ts';

/**
 * Builds the statement that computes tonight's golden record per customer into the temp table
 * `profiles_golden`: one row per customer_id in core.customer_xref, every group's columns taken
 * from the record its rule chain ranks first (one `arg_max` per group over a struct key), plus
 * the winner's identity (`<group>__w`: party_uid, source, table, key, load, updated_at) for
 * lineage and change times. Source priority comes from the temp table `profiles_priority(name, pos)`
 * (source or system names).
 */
export function goldenSql(rules: readonly GroupRule[], withHouseholds: boolean): string {
  const recCols: string[] = [];
  const aggs: string[] = [];
  const flat: string[] = [];
  rules.forEach(({ group, rules: chain }, gi) => {
    const g = `g${gi}`;
    for (const c of group.columns) recCols.push(`${c.expr} AS ${g}_${c.name}`);
    recCols.push(`(${group.present}) AS ${g}_has`);
    if (chain.includes('most_frequent')) recCols.push(`count(*) OVER (PARTITION BY x.customer_id, ${group.key}) AS ${g}_freq`);
    const keyTerms = [...chain, 'most_recent', 'source_priority'].map((r, i) => `k${i} := ${orderTerm(r as RuleName, g, group.columns.map((c) => c.name))}`);
    keyTerms.push(`kz := party_uid`);
    const payload = [
      'uid := party_uid',
      'source := source',
      'source_table := source_table',
      'record_key := record_key',
      'load_id := _load_id',
      'upd := updated_at',
      ...group.columns.map((c) => `${c.name} := ${g}_${c.name}`),
    ];
    aggs.push(`arg_max(struct_pack(${payload.join(', ')}), struct_pack(${keyTerms.join(', ')})) FILTER (WHERE ${g}_has) AS ${group.name}__w`);
    for (const c of group.columns) flat.push(`a.${group.name}__w.${c.name} AS ${c.name}`);
  });

  const household = withHouseholds
    ? 'LEFT JOIN (SELECT customer_id, min(household_id) AS household_id FROM core.dim_household GROUP BY customer_id) hh ON hh.customer_id = a.customer_id'
    : 'LEFT JOIN (SELECT NULL::BIGINT AS customer_id, NULL::BIGINT AS household_id) hh ON false';

  return `
CREATE OR REPLACE TEMP TABLE profiles_golden AS
WITH rec AS (
  SELECT x.customer_id, p.party_uid, p.source, p.source_table, p.record_key, p.system, p._load_id,
         p.updated_at, p.created_at, p.is_closed, p.is_deceased,
         coalesce(ps.pos, py.pos, 1000000) AS src_rank,
         coalesce(p.updated_at, p.created_at, TIMESTAMPTZ '0001-01-01 00:00:00+00') AS rec_at,
         ${recCols.join(',\n         ')}
  FROM staging.party_records p
  JOIN core.customer_xref x ON x.party_uid = p.party_uid
  LEFT JOIN profiles_priority ps ON ps.name = p.source
  LEFT JOIN profiles_priority py ON py.name = p.system
),
agg AS (
  SELECT customer_id,
         ${aggs.join(',\n         ')},
         bool_and(coalesce(is_closed, false)) AS is_closed,
         bool_or(coalesce(is_deceased, false)) AS is_deceased,
         CAST(count(DISTINCT source) AS INTEGER) AS source_count,
         CAST(count(*) AS INTEGER) AS record_count,
         list_sort(list_distinct(list(system))) AS systems,
         list_sort(list_distinct(list(source))) AS sources,
         min(coalesce(created_at, updated_at)) AS first_seen_at,
         max(coalesce(updated_at, created_at)) AS last_seen_at
  FROM rec
  GROUP BY customer_id
),
flat AS (
  SELECT a.customer_id,
         ${flat.join(',\n         ')},
         a.is_closed, a.is_deceased, hh.household_id,
         a.source_count, a.record_count, a.systems, a.sources, a.first_seen_at, a.last_seen_at,
         ${rules.map(({ group }) => `a.${group.name}__w`).join(', ')}
  FROM agg a
  ${household}
)
SELECT *, ${rowHashSql('', 'false')} AS row_hash FROM flat`;
}

/** A "larger is better" sort term for one rule over the record columns of group `g`. */
function orderTerm(rule: RuleName, g: string, columns: readonly string[]): string {
  switch (rule) {
    case 'source_priority':
      return '-src_rank';
    case 'most_recent':
      return 'rec_at';
    case 'most_frequent':
      return `${g}_freq`;
    case 'longest':
      return `length(concat_ws('', ${columns.map((c) => `CAST(${g}_${c} AS VARCHAR)`).join(', ')}))`;
    case 'non_empty':
      // No preference beyond having a value: the tie-breaks (most recent, source priority) decide.
      return '0';
  }
}
