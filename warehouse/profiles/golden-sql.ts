import { cyrillicToLatinSql, hasCyrillicSql } from '../../transforms/standardise/transliterate.ts';
import { composedColumns, type RuleName } from './attributes.ts';
import { rowHashSql } from './row-hash.ts';
import type { GroupRule } from './survivorship.ts';

/**
 * Builds the statements that compute tonight's golden record of one batch of customers (batch
 * $2 of $1 by hash of customer_id: a million customers at once do not fit a modest memory
 * limit, since the aggregation states and the wide record table do not spill), in order:
 * 1. `profiles_rec` — every party record of the batch (of the customers in `profiles_scope`)
 *    with its customer_id, a row id `rid` (hash of the party_uid: unique among a customer's few
 *    records, which is all it is compared within; row_number() would serialise the scan), and
 *    per group its values (`g<i>_<column>`), whether it has one (`g<i>_has`), its normalised
 *    value (`g<i>_key`), whether it gives the current golden values (`g<i>_cur`) and, for
 *    most_frequent, how many records of the customer share its key (`g<i>_freq`);
 * 2. `profiles_keys` — per customer and group the key (normalised value) the rule chain ranks
 *    first (`g<i>_wkey`), also read by the stability check (`unstable`, below);
 * 3. `profiles_winners` — per customer and group, among the records with that key the one that
 *    gives the current golden values (so a reformatted copy of the same value is no change),
 *    else the one the chain ranks first, as one struct (`<g>__win`: the group's values, its rid,
 *    updated_at, source, table, party_uid and load id) straight out of
 *    `arg_max(struct, create_sort_key(...))` (ranked by a BLOB key: far cheaper than comparing
 *    structs) — the aggregate carries the winner, so the record table is never joined back
 *    (it was, once per group: 15 hash joins of the wide record table);
 * 4. `profiles_golden_batch` — the winners' values, per group the winner's `updated_at`
 *    (`<g>__upd`), `source.table` (`<g>__src`), rid (`<g>__rid`) and `party_uid@load_id`
 *    (`<g>__ref`; these two only for lineage and the stability check: `lineageOnly`), the
 *    derived flags, counts, household, `row_hash` and `lineage_hash` (values, winning records,
 *    their loads and the rules: when it is unchanged the customer's lineage rows are kept).
 *    Lineage rows look the winners up by rid in `profiles_rec` (history-holes.ts): carrying the
 *    record's fields as structs in this table instead cost more CPU and peak RSS in the profiles
 *    bench (bench/FIGURES.md).
 * Source priority comes from the temp table `profiles_priority(name, pos)` (source or system).
 */
export function goldenSql(
  rules: readonly GroupRule[],
  withHouseholds: boolean,
): {
  lineageOnly: string[];
  rec: string;
  keys: string;
  winners: string;
  golden: string;
  unstable: string;
} {
  // Golden columns shown otherwise than their winner gives them: composed, or name parts that
  // may be romanised (below).
  const nameParts = [...new Set(composedColumns().flatMap(({ column: c }) => c.composedOf ?? []))];
  const reshaped = new Set([...composedColumns().map(({ column }) => column.name), ...nameParts]);
  const recCols: string[] = [];
  const freqs: string[] = [];
  const keyWinners: string[] = [];
  const winners: string[] = [];
  const rewinners: string[] = [];
  const moved: string[] = [];
  const gather: string[] = [];
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
    // Within the winning key, the record that gives the current golden values first; the
    // aggregate keeps that record's values and where it came from, so nothing is joined back.
    const within = [
      `${g}_key IS NOT DISTINCT FROM k.${g}_wkey, 'ASC NULLS FIRST'`,
      `${g}_cur, 'ASC NULLS FIRST'`,
      ...terms,
    ];
    const win = `${group.name}__win`;
    for (const c of group.columns) gather.push(`w.${win}.${c.name} AS ${c.name}`);
    gather.push(`w.${win}.__upd AS ${group.name}__upd`);
    gather.push(`w.${win}.__source || '.' || w.${win}.__source_table AS ${group.name}__src`);
    gather.push(`${winnerRef(`w.${win}`)} AS ${group.name}__ref`);
    gather.push(`w.${win}.__rid AS ${group.name}__rid`);
    winners.push(
      `arg_max({${[...group.columns.map((c) => `'${c.name}': ${g}_${c.name}`), ...WINNER_RECORD].join(', ')}}, create_sort_key(${within.join(', ')})) FILTER (WHERE ${g}_has) AS ${win}`,
    );
    // The same choice made again with tonight's golden values as the current ones — needed only
    // where a golden value can differ from its winner's (composed, romanised): elsewhere the
    // winner gives tonight's values, so the records that do are the ones that gave the current
    // values (if the winner did) or none of its key's records gave them (if not) — either way
    // the same choice.
    if (!group.columns.some((c) => reshaped.has(c.name))) return;
    const again = [
      within[0]!,
      `(${group.columns.map((c) => `r.${g}_${c.name} IS NOT DISTINCT FROM gb.${c.name}`).join(' AND ')}), 'ASC NULLS FIRST'`,
      ...terms,
    ];
    rewinners.push(
      `arg_max(r.rid, create_sort_key(${again.join(', ')})) FILTER (WHERE ${g}_has) AS ${group.name}__rid`,
    );
    moved.push(`w.${group.name}__rid IS DISTINCT FROM gb.${group.name}__rid`);
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

  const keysSql = `CREATE OR REPLACE TEMP TABLE profiles_keys AS
SELECT customer_id,
       ${keyWinners.join(',\n       ')}
FROM profiles_rec
GROUP BY customer_id`;
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
FROM profiles_rec JOIN profiles_keys k USING (customer_id)
GROUP BY customer_id`,
    `CREATE OR REPLACE TEMP TABLE profiles_golden_batch AS
WITH picked AS (
  SELECT w.customer_id,
         ${gather.join(',\n         ')},
         ${derived.map((d) => `w.${d}`).join(', ')}
  FROM profiles_winners w
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
  const unstableSql =
    rewinners.length === 0
      ? 'CREATE OR REPLACE TEMP TABLE profiles_unstable_batch AS SELECT customer_id FROM profiles_golden_batch WHERE false'
      : `CREATE OR REPLACE TEMP TABLE profiles_unstable_batch AS
WITH w AS (
  SELECT r.customer_id,
         ${rewinners.join(',\n         ')}
  FROM profiles_rec r JOIN profiles_keys k ON k.customer_id = r.customer_id
  JOIN profiles_golden_batch gb ON gb.customer_id = r.customer_id
  GROUP BY r.customer_id
)
SELECT w.customer_id
FROM w JOIN profiles_golden_batch gb ON gb.customer_id = w.customer_id
WHERE ${moved.join('\n   OR ')}`;
  return {
    lineageOnly: rules.flatMap(({ group }) => [`${group.name}__rid`, `${group.name}__ref`]),
    rec: recSql,
    keys: keysSql,
    winners: winnersSql,
    golden: goldenSelect,
    unstable: unstableSql,
  };
}

/**
 * What a group's winner carries besides its values, in fields named apart from any attribute
 * column: its row id (lineage and the stability check look the record up by it) and what the
 * history and the lineage fingerprint need of the record.
 */
const WINNER_RECORD = [
  "'__rid': rid",
  "'__upd': updated_at",
  "'__source': source",
  "'__source_table': source_table",
  "'__party_uid': party_uid",
  "'__load_id': _load_id",
];

/** `party_uid@load_id` of the winner `win` (a `<group>__win` struct): its lineage fingerprint. */
const winnerRef = (win: string) => `${win}.__party_uid || '@' || coalesce(${win}.__load_id, '')`;

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
