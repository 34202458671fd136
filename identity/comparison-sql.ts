import type { Comparison } from './comparisons.ts';

/** The identity.records columns the comparisons read (found as `l.<column>` / `r.<column>` in their SQL). */
export function comparisonColumns(comparisons: readonly Comparison[]): string[] {
  const cols = new Set<string>();
  for (const c of comparisons) {
    const sql = [c.isNull, ...c.levels.flatMap((lv) => [lv.when, lv.tf ?? ''])].join(' ');
    for (const m of sql.matchAll(/\b[lr]\.([a-z_][a-z0-9_]*)/g)) cols.add(m[1]!);
  }
  return [...cols].sort();
}

/**
 * The identity.records columns a pair's levels depend on (those read by `isNull` and `when`;
 * term-frequency columns read only for the adjustment are not): equal values on both records
 * give equal levels, which is what lets a night reuse the levels of pairs it did not change.
 */
export function levelColumns(comparisons: readonly Comparison[]): string[] {
  const cols = new Set<string>();
  for (const c of comparisons) {
    const sql = [c.isNull, ...c.levels.map((lv) => lv.when)].join(' ');
    for (const m of sql.matchAll(/\b[lr]\.([a-z_][a-z0-9_]*)/g)) cols.add(m[1]!);
  }
  return [...cols].sort();
}

/**
 * Term-frequency columns of a pair from its levels (`g`) and records (`l`, `r`): the frequency
 * of the shared value where the pair sits on a tf-adjusted level. Scoring reads a frequency only
 * at its level, so this gives the same scores as `comparisonSelectList` without evaluating the
 * levels' conditions again.
 */
export function tfSelectList(comparisons: readonly Comparison[], g = 'g'): string[] {
  return comparisons.flatMap((c) =>
    tfLevels(c).map(
      (t) =>
        `(CASE WHEN ${g}.${gammaColumn(c)} = ${t.level} THEN ${t.sql} END)::FLOAT AS ${tfColumn(c, t.level)}`,
    ),
  );
}

/** Bits per comparison in a pattern key (levels -1..6 fit in 3 bits). */
export const PATTERN_BITS = 3;

export function gammaColumn(c: Comparison): string {
  return `g_${c.name}`;
}

/** Column of a pair holding the term frequency of the shared value at a tf-adjusted level. */
export function tfColumn(c: Comparison, level: number): string {
  return `tf_${c.name}_${level}`;
}

/** `CASE … END` giving the level of one comparison for the pair `l`, `r`. */
export function gammaSql(c: Comparison): string {
  const whens = c.levels
    .filter((lv) => lv.level !== 0)
    .map((lv) => `WHEN ${lv.when} THEN ${lv.level}`)
    .join(' ');
  return `(CASE WHEN ${c.isNull} THEN -1 ${whens} ELSE 0 END)::TINYINT`;
}

/** The comparison's term-frequency adjusted levels with the SQL giving the frequency of the shared value. */
export function tfLevels(c: Comparison): { level: number; sql: string }[] {
  return c.levels.flatMap((lv) => (lv.tf === undefined ? [] : [{ level: lv.level, sql: lv.tf }]));
}

/** Gamma columns and raw term-frequency columns, as one select list over `l`, `r`. */
export function comparisonSelectList(comparisons: readonly Comparison[]): string {
  const gammas = comparisons.map((c) => `${gammaSql(c)} AS ${gammaColumn(c)}`);
  // a frequency is only looked up where its level's condition holds (NULL elsewhere)
  const tfs = comparisons.flatMap((c) =>
    tfLevels(c).map(
      (t) =>
        `(CASE WHEN ${c.levels.find((lv) => lv.level === t.level)!.when} THEN ${t.sql} END)::FLOAT AS ${tfColumn(c, t.level)}`,
    ),
  );
  return [...gammas, ...tfs].join(',\n  ');
}

/** Pattern key: every gamma + 1 packed in PATTERN_BITS bits, comparison i at bit i * PATTERN_BITS. */
export function patternKeySql(comparisons: readonly Comparison[], alias = ''): string {
  return comparisons
    .map((c, i) => `((${alias}${gammaColumn(c)} + 1)::BIGINT << ${i * PATTERN_BITS})`)
    .join(' + ');
}
