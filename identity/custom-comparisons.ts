import type { Comparison } from './comparisons.ts';
import { IdentityError } from './errors.ts';

/** The kinds of comparison a user can add over a mapped field, like Splink's comparison library. */
export const COMPARISON_TYPES = ['exact', 'fuzzy_text', 'phonetic', 'date', 'number'] as const;
export type ComparisonType = (typeof COMPARISON_TYPES)[number];

/**
 * A comparison the config adds (`identity.comparisons`): over a party attribute mapped under a
 * table's `attributes:` (occupation, birth place…) or a column of staging.party_records
 * (`company_key`), compared as `type`; EM trains its m like any other's.
 */
export interface CustomComparisonSpec {
  readonly name: string;
  /** `attributes.<name>` for a mapped attribute, or a column of staging.party_records. */
  readonly field: string;
  readonly type: ComparisonType;
  /** Adjust the exact level for common and rare values (a shared "London" counts less). */
  readonly tf: boolean;
}

/** The prepared-records column a custom comparison reads: `cx_<name>`. */
export function customColumn(spec: Pick<CustomComparisonSpec, 'name'>): string {
  return `cx_${spec.name}`;
}

/** The prepared-records column of its term frequency: `tf_cx_<name>`. */
export function customTfColumn(spec: Pick<CustomComparisonSpec, 'name'>): string {
  return `tf_${customColumn(spec)}`;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * SQL over a staging.party_records row `p` giving the field's value as text (NULL when empty):
 * `attributes.occupation` reads the attribute map, anything else names a column.
 */
export function customFieldSql(spec: CustomComparisonSpec): string {
  const attr = /^attributes\.([a-z][a-z0-9_]*)$/.exec(spec.field);
  const raw = attr ? `p.attributes[${sqlString(attr[1]!)}]` : `p.${spec.field}`;
  if (spec.type === 'date') return `TRY_CAST(${raw} AS DATE)`;
  if (spec.type === 'number') return `TRY_CAST(${raw} AS DOUBLE)`;
  // compared the way names are: transliterated, lower case, letters and digits
  return `nullif(trim(regexp_replace(lower(cdw_translit(CAST(${raw} AS VARCHAR))), '[^a-z0-9]+', ' ', 'g')), '')`;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** The comparison (levels highest first) of one custom spec. */
export function customComparison(spec: CustomComparisonSpec): Comparison {
  if (!NAME.test(spec.name))
    throw new IdentityError(
      'config_invalid',
      `identity.comparisons: name "${spec.name}" must be lower-case letters, digits and _`,
    );
  const c = customColumn(spec);
  const l = `l.${c}`;
  const r = `r.${c}`;
  const tf = spec.tf
    ? { tf: `greatest(l.${customTfColumn(spec)}, r.${customTfColumn(spec)})` }
    : {};
  const base = {
    name: spec.name,
    columns: [c],
    isNull: `${l} IS NULL OR ${r} IS NULL`,
  };
  switch (spec.type) {
    case 'exact':
      return {
        ...base,
        levels: [
          { level: 1, label: 'exact', when: `${l} = ${r}`, m: 0.9, ...tf },
          { level: 0, label: 'different', when: 'true', m: 0.1 },
        ],
      };
    case 'fuzzy_text':
      return {
        ...base,
        levels: [
          { level: 3, label: 'exact', when: `${l} = ${r}`, m: 0.8, ...tf },
          {
            level: 2,
            label: 'one typo, or jaro-winkler >= 0.92',
            when: `damerau_levenshtein(${l}, ${r}) <= 1 OR jaro_winkler_similarity(${l}, ${r}) >= 0.92`,
            m: 0.1,
          },
          {
            level: 1,
            label: 'jaro-winkler >= 0.80',
            when: `jaro_winkler_similarity(${l}, ${r}) >= 0.8`,
            m: 0.05,
          },
          { level: 0, label: 'different', when: 'true', m: 0.05 },
        ],
      };
    case 'phonetic':
      return {
        ...base,
        levels: [
          { level: 2, label: 'exact', when: `${l} = ${r}`, m: 0.8, ...tf },
          {
            level: 1,
            label: 'sounds alike (same first letter and consonant classes)',
            when: `${soundex(l)} = ${soundex(r)}`,
            m: 0.15,
          },
          { level: 0, label: 'different', when: 'true', m: 0.05 },
        ],
      };
    case 'date':
      return {
        ...base,
        levels: [
          { level: 4, label: 'exact', when: `${l} = ${r}`, m: 0.85, ...tf },
          {
            level: 3,
            label: 'one day apart, one digit differs, or day and month swapped',
            when: `abs(date_diff('day', ${l}, ${r})) = 1 OR damerau_levenshtein(strftime(${l}, '%Y%m%d'), strftime(${r}, '%Y%m%d')) <= 1
              OR (year(${l}) = year(${r}) AND month(${l}) = day(${r}) AND day(${l}) = month(${r}))`,
            m: 0.07,
          },
          {
            level: 2,
            label: 'same year and month',
            when: `year(${l}) = year(${r}) AND month(${l}) = month(${r})`,
            m: 0.03,
          },
          {
            level: 1,
            label: 'within a year',
            when: `abs(date_diff('day', ${l}, ${r})) <= 366`,
            m: 0.02,
          },
          { level: 0, label: 'different', when: 'true', m: 0.03 },
        ],
      };
    case 'number':
      return {
        ...base,
        levels: [
          { level: 3, label: 'exact', when: `${l} = ${r}`, m: 0.8, ...tf },
          {
            level: 2,
            label: 'within 1 %',
            when: `abs(${l} - ${r}) <= 0.01 * greatest(abs(${l}), abs(${r}))`,
            m: 0.1,
          },
          {
            level: 1,
            label: 'within 10 %',
            when: `abs(${l} - ${r}) <= 0.1 * greatest(abs(${l}), abs(${r}))`,
            m: 0.05,
          },
          { level: 0, label: 'different', when: 'true', m: 0.05 },
        ],
      };
  }
}

/** A Soundex-like code of a text: first letter, then consonant classes, repeats collapsed. */
function soundex(x: string): string {
  const d = `string_split(regexp_replace(translate(substr(${x}, 2), 'bfpvcgjkqsxzdtlmnr', '111122222222334556'), '[^0-9]', '', 'g'), '')`;
  return `(left(${x}, 1) || left(array_to_string(list_filter(${d}, (c, i) -> i = 1 OR c <> ${d}[i - 1]), ''), 4))`;
}
