import { cyrillicToLatinSql, hasCyrillicSql } from '../../transforms/standardise/transliterate.ts';
import {
  ATTRIBUTE_GROUPS,
  composedColumns,
  type AttributeColumn,
  type RuleName,
} from '../../warehouse/profiles/attributes.ts';
import { rowHashSql } from '../../warehouse/profiles/row-hash.ts';
import type { GroupRule } from '../../warehouse/profiles/survivorship.ts';

/**
 * The golden-record statements as they were before issue 18 part 2 (main at 3ca9984), kept only
 * as the reference of golden-rewrite.test.ts: each group's winning record id from `arg_max(rid, ...)`, then
 * `profiles_rec` joined back once per group for its values. Same temp tables in and out as
 * warehouse/profiles/golden-sql.ts (`profiles_rec`, `profiles_winners`,
 * `profiles_golden_batch`, `profiles_unstable_batch`); do not change it to follow that file.
 */
export function goldenSqlBefore(
  rules: readonly GroupRule[],
  withHouseholds: boolean,
): { rec: string; winners: string; golden: string; unstable: string } {
  const recCols: string[] = [];
  const freqs: string[] = [];
  const keyWinners: string[] = [];
  const winners: string[] = [];
  const rewinners: string[] = [];
  const moved: string[] = [];
  const gather: string[] = [];
  const gatherJoins: string[] = [];
  rules.forEach(({ group, rules: chain }, gi) => {
    const g = `g${gi}`;
    for (const c of group.columns) recCols.push(`${c.expr} AS ${g}_${c.name}`);
    recCols.push(`(${group.present}) AS ${g}_has`);
    recCols.push(`${group.key} AS ${g}_key`);
    recCols.push(
      `(${group.columns.map((c) => `(${c.expr}) IS NOT DISTINCT FROM h.${c.name}`).join(' AND ')}) AS ${g}_cur`,
    );
    // Counted by GROUP BY and joined back: a window over (customer, key) has one tiny partition
    // per value and costs seconds per million records.
    if (chain.includes('most_frequent')) freqs.push(g);
    const terms = [...chain, 'most_recent', 'source_priority'].map(
      (r) =>
        `${orderTerm(
          r as RuleName,
          g,
          group.columns.map((c) => c.name),
        )}, 'ASC NULLS FIRST'`,
    );
    terms.push(`party_uid, 'ASC NULLS FIRST'`);
    keyWinners.push(
      `arg_max(${g}_key, create_sort_key(${terms.join(', ')})) FILTER (WHERE ${g}_has) AS ${g}_wkey`,
    );
    // Within the winning key, the record that gives the current golden values first.
    const within = [
      `${g}_key IS NOT DISTINCT FROM k.${g}_wkey, 'ASC NULLS FIRST'`,
      `${g}_cur, 'ASC NULLS FIRST'`,
      ...terms,
    ];
    winners.push(
      `arg_max(rid, create_sort_key(${within.join(', ')})) FILTER (WHERE ${g}_has) AS ${group.name}__rid`,
    );
    // The same choice made again with tonight's golden values as the current ones.
    const again = [
      within[0]!,
      `(${group.columns.map((c) => `r.${g}_${c.name} IS NOT DISTINCT FROM gb.${c.name}`).join(' AND ')}), 'ASC NULLS FIRST'`,
      ...terms,
    ];
    rewinners.push(
      `arg_max(r.rid, create_sort_key(${again.join(', ')})) FILTER (WHERE ${g}_has) AS ${group.name}__rid`,
    );
    moved.push(`w.${group.name}__rid IS DISTINCT FROM gb.${group.name}__rid`);
    const r = `r${gi}`;
    for (const c of group.columns) gather.push(`${r}.${g}_${c.name} AS ${c.name}`);
    gather.push(`${r}.updated_at AS ${group.name}__upd`);
    gather.push(`${r}.source || '.' || ${r}.source_table AS ${group.name}__src`);
    gather.push(`${r}.party_uid || '@' || coalesce(${r}._load_id, '') AS ${group.name}__ref`);
    gather.push(`w.${group.name}__rid`);
    gatherJoins.push(
      `LEFT JOIN profiles_rec ${r} ON ${r}.customer_id = w.customer_id AND ${r}.rid = w.${group.name}__rid`,
    );
  });
  const household = withHouseholds
    ? 'LEFT JOIN (SELECT customer_id, min(household_id) AS household_id FROM core.dim_household GROUP BY customer_id) hh ON hh.customer_id = w.customer_id'
    : 'LEFT JOIN (SELECT NULL::BIGINT AS customer_id, NULL::BIGINT AS household_id) hh ON false';
  const derived = [
    'is_closed',
    'is_deceased',
    'source_count',
    'record_count',
    'systems',
    'sources',
    'first_seen_at',
    'last_seen_at',
  ];
  // A name is shown in one script: when the picked parts mix Cyrillic and Latin (a first name
  // from one system, the family name from another), the Cyrillic parts are romanised with the
  // one scheme of transforms/standardise/transliterate.ts — never "Ekaterina Волкова".
  const nameParts = [...new Set(composedColumns().flatMap(({ column: c }) => c.composedOf ?? []))];
  const joined = `concat_ws(' ', ${nameParts.join(', ')})`;
  const mixed = `(${hasCyrillicSql(joined)} AND regexp_matches(${joined}, '[A-Za-z]'))`;
  const oneScript = (part: string) =>
    `CASE WHEN ${mixed} THEN ${cyrillicToLatinSql(part)} ELSE ${part} END`;
  const composed = [
    ...composedColumns().map(
      ({ column: c }) =>
        `coalesce(nullif(concat_ws(' ', ${(c.composedOf ?? []).map(oneScript).join(', ')}), ''), ${c.name}) AS ${c.name}`,
    ),
    ...nameParts.map((part) => `${oneScript(part)} AS ${part}`),
  ];
  const composedFrom =
    composed.length === 0 ? 'picked' : `(SELECT * REPLACE (${composed.join(', ')}) FROM picked)`;

  const [recSql, winnersSql, goldenSelect] = [
    `CREATE OR REPLACE TEMP TABLE profiles_rec AS
WITH base AS (
  SELECT hash(p.party_uid) AS rid, x.customer_id, p.party_uid, p.source, p.source_table, p.record_key, p.system, p._load_id,
         p.updated_at, p.created_at, p.is_closed, p.is_deceased,
         coalesce(ps.pos, py.pos, 1000000) AS src_rank,
         coalesce(p.updated_at, p.created_at, TIMESTAMPTZ '0001-01-01 00:00:00+00') AS rec_at,
         ${recCols.join(',\n         ')}
  FROM staging.party_records p
  JOIN core.customer_xref x ON x.party_uid = p.party_uid
  LEFT JOIN core.dim_customer_history h ON h.customer_id = x.customer_id AND h.is_current
  LEFT JOIN profiles_priority ps ON ps.name = p.source
  LEFT JOIN profiles_priority py ON py.name = p.system
  WHERE hash(x.customer_id) % $1 = $2
    AND x.customer_id IN (SELECT customer_id FROM profiles_scope)
)${freqs.map((g) => `,\n${g}_f AS (SELECT customer_id, ${g}_key, CAST(count(*) AS INTEGER) AS ${g}_freq FROM base WHERE ${g}_has GROUP BY ALL)`).join('')}
SELECT base.*${freqs.map((g) => `, coalesce(${g}_f.${g}_freq, 0) AS ${g}_freq`).join('')}
FROM base
${freqs.map((g) => `LEFT JOIN ${g}_f ON ${g}_f.customer_id = base.customer_id AND ${g}_f.${g}_key = base.${g}_key`).join('\n')}`,
    `CREATE OR REPLACE TEMP TABLE profiles_winners AS
WITH k AS (
  SELECT customer_id,
         ${keyWinners.join(',\n         ')}
  FROM profiles_rec
  GROUP BY customer_id
)
SELECT customer_id,
       ${winners.join(',\n       ')},
       bool_and(coalesce(is_closed, false)) AS is_closed,
       bool_or(coalesce(is_deceased, false)) AS is_deceased,
       CAST(count(DISTINCT source) AS INTEGER) AS source_count,
       CAST(count(*) AS INTEGER) AS record_count,
       list_sort(list_distinct(list(system))) AS systems,
       list_sort(list_distinct(list(source))) AS sources,
       min(coalesce(created_at, updated_at)) AS first_seen_at,
       max(coalesce(updated_at, created_at)) AS last_seen_at
FROM profiles_rec JOIN k USING (customer_id)
GROUP BY customer_id`,
    `CREATE OR REPLACE TEMP TABLE profiles_golden_batch AS
WITH picked AS (
  SELECT w.customer_id,
         ${gather.join(',\n         ')},
         ${derived.map((d) => `w.${d}`).join(', ')}
  FROM profiles_winners w
  ${gatherJoins.join('\n  ')}
),
hashed AS (
  SELECT w.*, hh.household_id, ${rowHashSql('w', 'false')} AS row_hash
  FROM ${composedFrom} w
  ${household}
)
SELECT hashed.*,
       md5(concat_ws(chr(30), hashed.row_hash, ${rules.map(({ group }) => `coalesce(hashed.${group.name}__ref, '')`).join(', ')}, c.rules_key)) AS lineage_hash
FROM hashed CROSS JOIN profiles_ctx c`,
  ] as const;
  // A golden value shown differently from every record's (a composed full name, a name part
  // romanised) can make another record "the one giving the current values" tomorrow: the same
  // records would then give other winners (values or lineage) — as a rebuild of every customer
  // would. Such customers are built again tomorrow (customer-scope.ts).
  const unstableSql = `CREATE OR REPLACE TEMP TABLE profiles_unstable_batch AS
WITH k AS (
  SELECT customer_id,
         ${keyWinners.join(',\n         ')}
  FROM profiles_rec
  GROUP BY customer_id
),
w AS (
  SELECT r.customer_id,
         ${rewinners.join(',\n         ')}
  FROM profiles_rec r JOIN k ON k.customer_id = r.customer_id
  JOIN profiles_golden_batch gb ON gb.customer_id = r.customer_id
  GROUP BY r.customer_id
)
SELECT w.customer_id
FROM w JOIN profiles_golden_batch gb ON gb.customer_id = w.customer_id
WHERE ${moved.join('\n   OR ')}`;
  return { rec: recSql, winners: winnersSql, golden: goldenSelect, unstable: unstableSql };
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

/**
 * The lineage rows as history-holes.ts built them before the rewrite (same reference use):
 * one SELECT per attribute group, unioned: the lineage rows of the non-empty golden values of
 * `g`, from the winning record (`<group>__rid` → `profiles_rec`), with the group's rule label
 * from `profiles_rules` and the run from `profiles_ctx`.
 */
export function lineageRowsBefore(): string {
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
