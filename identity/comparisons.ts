/**
 * The comparisons of the Fellegi–Sunter model, as data. Each compares one field (or a group
 * of related fields) of two records `l` and `r` of `identity.records` and yields a level
 * (gamma): -1 when either side is missing, 0 for "disagree", higher for closer agreement.
 * The SQL conditions are evaluated in order; the first that holds gives the level.
 */
export interface ComparisonLevel {
  readonly level: number;
  readonly label: string;
  /** SQL over `l.` and `r.`; true when this level applies (checked after the higher ones). */
  readonly when: string;
  /** Starting m probability (before EM); also the prior EM estimates are pulled towards. */
  readonly m: number;
  /** SQL: the term frequency of the shared value, for exact levels adjusted for common values. */
  readonly tf?: string;
  /**
   * An agreement that related people share (an address, a line, a family mailbox, twins' birth
   * date): its u is the larger of the random pairs' and the candidate non-matches' (train-m.ts),
   * so a household agreeing on everything it shares does not add up to one person.
   */
  readonly related?: true;
}

export interface Comparison {
  readonly name: string;
  /** Record columns it reads: a blocking rule on one of them leaves it out of that rule's EM session. */
  readonly columns: readonly string[];
  /** SQL over `l.` and `r.`: either side missing (level -1). */
  readonly isNull: string;
  /** Highest level first; the last is level 0, "else". */
  readonly levels: readonly ComparisonLevel[];
  /**
   * The levels at which two records are certainly two people (two different generational
   * suffixes, two national ids that differ beyond a typo); honoured when the comparison is
   * listed in `identity.certain_conflicts`.
   */
  readonly certainConflictLevels?: readonly number[];
  /**
   * A person may hold several values at once or over time (e-mails, phones, addresses, a
   * surname before and after marriage): a disagreement weighs in a pair's score, but it is not
   * a contradiction — it never refuses an exact identifier's link, and inside a cluster (which
   * holds all of a person's values) it never tells two records apart on its own.
   */
  readonly multiValued?: true;
}

/** The comparisons whose disagreement is a contradiction (a person has one value). */
export function singleValued(comparisons: readonly Comparison[]): readonly Comparison[] {
  return comparisons.filter((c) => c.multiValued !== true);
}

/**
 * SQL over a pair's level columns (`g_<comparison>`, unqualified): true when a comparison listed
 * in `names` sits on one of its certain-conflict levels. `false` when none applies.
 */
export function certainConflictSql(
  comparisons: readonly Comparison[],
  names: readonly string[],
): string {
  const parts = comparisons
    .filter((c) => names.includes(c.name) && (c.certainConflictLevels ?? []).length > 0)
    .map((c) => `g_${c.name} IN (${(c.certainConflictLevels ?? []).join(', ')})`);
  return parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
}

const jw = (a: string, b: string) => `jaro_winkler_similarity(${a}, ${b})`;
const nearNumber = (a: string, b: string) =>
  `CASE WHEN length(${a}) = length(${b}) THEN hamming(${a}, ${b}) <= 2 ELSE false END`;

/**
 * First and last name entered the other way round. Scored as exact agreement on both: a swap
 * is a data-entry slip as likely for a match as for a non-match, so the ratio stays that of
 * exact names (two separate "swapped" levels would count the one event twice).
 */
const SWAPPED = `l.first_initial = r.last_initial AND l.last_initial = r.first_initial AND ${jw('l.first_key', 'r.last_key')} >= 0.9 AND ${jw('l.last_key', 'r.first_key')} >= 0.9`;

/** One name of each record matches the other's other name (a swap plus a nickname, a typo or a new surname). */
// Only when neither name matches in place: Aleksey Mikhaylov and Aleksey Alekseev are not a swap.
const CROSSED = `l.first_key <> r.first_key AND l.last_key <> r.last_key AND (
  (l.first_initial = r.last_initial AND ${jw('l.first_key', 'r.last_key')} >= 0.9) OR (l.last_initial = r.first_initial AND ${jw('l.last_key', 'r.first_key')} >= 0.9)
  OR l.given_key = r.last_given OR l.last_given = r.given_key)`;

/** The first-name levels that say "the same given name": exact or swapped, a nickname, a typo. */
const FIRST_EXACT = `l.first_key = r.first_key OR (l.given_key <> r.given_key AND ${SWAPPED})`;
// first_n is capped at 3 (prepare-records.sql): only whether it is at most 2 may be asked here
const FIRST_TYPO = `greatest(${jw('l.first_key', 'r.first_key')}, ${jw('l.given_key', 'r.given_key')}) >= 0.92 OR CASE WHEN least(l.first_n, r.first_n) <= 2 AND abs(length(l.first_key) - length(r.first_key)) <= 2
          THEN least(damerau_levenshtein(l.first_key, r.first_key), damerau_levenshtein(l.given_key, r.first_key), damerau_levenshtein(l.first_key, r.given_key)) <= 1 ELSE false END`;

/** Close enough to be one name mistyped (two slips, a missing syllable): "dmity" and "dmitriy". */
const FIRST_SIMILAR = `${FIRST_TYPO} OR ${jw('l.first_key', 'r.first_key')} >= 0.80`;

/** Both records at one address: what a household shares (its surname above all) says less. */
const SAME_ADDRESS = 'coalesce(l.address_key = r.address_key, false)';

const FIRST_INITIAL =
  '((length(l.first_key) = 1 OR length(r.first_key) = 1) AND l.first_initial = r.first_initial)';

/**
 * Both first names known and not the same given name: neither equal, nor nicknames of one
 * name, nor one typo apart, nor an initial and a name it begins, nor one record's first name
 * in the other's surname place (swapped, perhaps with a new surname). Agreement on what a household shares — an address, a landline, a family e-mail, and
 * for twins a birth date — means something else then than between records with the same given
 * name, so those levels come in two: EM learns from the data how often matches still agree
 * with different first names (a source that replaces names at random) and how often
 * non-matches do (households, twins).
 */
export const FIRST_NAMES_DIFFER = `(l.first_key IS NOT NULL AND r.first_key IS NOT NULL AND NOT coalesce(${FIRST_EXACT} OR l.given_key = r.given_key OR ${FIRST_INITIAL} OR ${FIRST_TYPO} OR ${CROSSED}, false))`;

export const COMPARISONS: readonly Comparison[] = [
  {
    name: 'first_name',
    columns: ['first_key', 'given_key', 'first_initial', 'first_n', 'names_key', 'last_given'],
    isNull: 'l.first_key IS NULL OR r.first_key IS NULL',
    levels: [
      {
        level: 5,
        label: 'exact (or first/last swapped)',
        when: FIRST_EXACT,
        m: 0.8,
        tf: 'greatest(l.tf_first, r.tf_first)',
      },
      { level: 4, label: 'same name group (nickname)', when: 'l.given_key = r.given_key', m: 0.1 },
      {
        level: 3,
        label: 'jaro-winkler >= 0.92, or one edit away from a rare spelling',
        // "shsron" is a typo of "sharon"; "mary" and "mark" are two names
        // (damerau_levenshtein is slow: the CASE keeps it to the few pairs with a rare spelling)
        when: FIRST_TYPO,
        m: 0.04,
      },
      {
        level: 2,
        label: 'initial of the other',
        when: FIRST_INITIAL,
        m: 0.02,
      },
      {
        level: 1,
        label: 'jaro-winkler >= 0.80, or matches the other surname',
        when: `${FIRST_SIMILAR} OR ${CROSSED}`,
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.02 },
    ],
  },
  {
    name: 'last_name',
    multiValued: true,
    columns: ['last_key', 'last_sk', 'last_initial', 'names_key', 'surname_stem'],
    isNull: 'l.last_key IS NULL OR r.last_key IS NULL',
    levels: [
      {
        level: 4,
        label: 'exact (or first/last swapped)',
        when: `(l.last_key = r.last_key OR (${SWAPPED})) AND NOT ${SAME_ADDRESS}`,
        m: 0.6,
        tf: 'greatest(l.tf_last, r.tf_last)',
      },
      {
        level: 3,
        label: 'exact, at the same address (a household name?)',
        related: true,
        when: `l.last_key = r.last_key OR (${SWAPPED})`,
        m: 0.25,
      },
      {
        level: 2,
        label: 'jaro-winkler >= 0.92',
        when: `${jw('l.last_key', 'r.last_key')} >= 0.92`,
        m: 0.06,
      },
      {
        level: 1,
        label:
          'jaro-winkler >= 0.80, sounds alike, one contains the other, or matches the other first name',
        when: `${jw('l.last_key', 'r.last_key')} >= 0.80 OR l.last_sk = r.last_sk OR (least(length(l.last_key), length(r.last_key)) >= 3 AND (contains(l.last_key, r.last_key) OR contains(r.last_key, l.last_key))) OR ${CROSSED}`,
        m: 0.03,
      },
      { level: 0, label: 'different', when: 'true', m: 0.05 },
    ],
  },
  {
    name: 'birth_date',
    columns: ['birth_date', 'birth_year', 'birth_str'],
    isNull: 'l.birth_date IS NULL OR r.birth_date IS NULL',
    levels: [
      {
        level: 6,
        label: 'exact',
        when: `l.birth_date = r.birth_date AND NOT ${FIRST_NAMES_DIFFER}`,
        m: 0.85,
        // a placeholder date (1900-01-01) is common, and counts for little
        tf: 'greatest(l.tf_birth, r.tf_birth)',
      },
      {
        level: 5,
        label: 'exact, first names differ (twins?)',
        when: 'l.birth_date = r.birth_date',
        m: 0.02,
      },
      {
        level: 4,
        label: 'day and month transposed',
        when: 'year(l.birth_date) = year(r.birth_date) AND month(l.birth_date) = day(r.birth_date) AND day(l.birth_date) = month(r.birth_date)',
        m: 0.02,
      },
      {
        level: 3,
        label: 'one day apart, or one digit differs (or two swapped)',
        when: `abs(date_diff('day', l.birth_date, r.birth_date)) = 1 OR CASE WHEN length(l.birth_str) <> length(r.birth_str) THEN damerau_levenshtein(l.birth_str, r.birth_str) <= 1
          WHEN hamming(l.birth_str, r.birth_str) <= 1 THEN true
          WHEN hamming(l.birth_str, r.birth_str) = 2 THEN damerau_levenshtein(l.birth_str, r.birth_str) <= 1 ELSE false END`,
        m: 0.04,
      },
      {
        level: 2,
        label: 'same year and month',
        when: 'year(l.birth_date) = year(r.birth_date) AND month(l.birth_date) = month(r.birth_date)',
        m: 0.02,
      },
      {
        level: 1,
        label: 'within a year',
        when: "abs(date_diff('day', l.birth_date, r.birth_date)) <= 366",
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.05 },
    ],
  },
  {
    name: 'email',
    multiValued: true,
    columns: ['email_key', 'email_user', 'email_local', 'email_domain'],
    isNull: 'l.email_key IS NULL OR r.email_key IS NULL',
    levels: [
      {
        level: 4,
        label: 'exact',
        when: `l.email_key = r.email_key AND NOT ${FIRST_NAMES_DIFFER}`,
        m: 0.7,
      },
      {
        level: 3,
        label: 'exact, first names differ (a family mailbox?)',
        related: true,
        when: 'l.email_key = r.email_key',
        m: 0.02,
      },
      {
        level: 2,
        label: 'same mailbox name at another domain',
        when: 'l.email_user = r.email_user',
        m: 0.06,
        tf: 'greatest(l.tf_email_user, r.tf_email_user)',
      },
      // One edit anywhere ("vrronika.…" — jaro-winkler punishes an early typo).
      {
        level: 1,
        label: 'one typo',
        when: 'damerau_levenshtein(l.email_key, r.email_key) <= 1',
        m: 0.05,
      },
      { level: 0, label: 'different', when: 'true', m: 0.17 },
    ],
  },
  {
    name: 'phone',
    multiValued: true,
    columns: ['phone_e164', 'mobile_e164', 'phones', 'phone_heads', 'phone_tails'],
    isNull:
      '(l.phone_e164 IS NULL AND l.mobile_e164 IS NULL) OR (r.phone_e164 IS NULL AND r.mobile_e164 IS NULL)',
    levels: [
      {
        level: 4,
        label: 'same personal number (a mobile, or one that may be)',
        when: `(l.mobile_e164 = r.mobile_e164 OR l.mobile_e164 = r.phone_e164 OR l.phone_e164 = r.mobile_e164 OR (l.phone_e164 = r.phone_e164 AND (l.phone_personal OR r.phone_personal))) AND NOT ${FIRST_NAMES_DIFFER}`,
        m: 0.6,
      },
      {
        level: 3,
        label: 'same other number (landline)',
        when: `l.phone_e164 = r.phone_e164 AND NOT ${FIRST_NAMES_DIFFER}`,
        m: 0.15,
      },
      {
        level: 2,
        label: 'same number, first names differ (a household line?)',
        related: true,
        when: 'l.mobile_e164 = r.mobile_e164 OR l.mobile_e164 = r.phone_e164 OR l.phone_e164 = r.mobile_e164 OR l.phone_e164 = r.phone_e164',
        m: 0.02,
      },
      {
        level: 1,
        label: 'a number differs in one or two digits',
        // hamming needs equal lengths; the CASE keeps it from ever seeing two lengths
        when: `${nearNumber('l.mobile_e164', 'r.mobile_e164')} OR ${nearNumber('l.phone_e164', 'r.phone_e164')}`,
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.21 },
    ],
  },
  {
    name: 'location',
    multiValued: true,
    columns: [
      'address_key',
      'address_norm',
      'postcode_norm',
      'postcode_area',
      'city_norm',
      'region_norm',
    ],
    // compared on what both records have: an address, a postcode, a city or a region
    isNull: `NOT ((l.address_key IS NOT NULL AND r.address_key IS NOT NULL) OR (l.postcode_norm IS NOT NULL AND r.postcode_norm IS NOT NULL)
      OR (l.city_norm IS NOT NULL AND r.city_norm IS NOT NULL) OR (l.region_norm IS NOT NULL AND r.region_norm IS NOT NULL))`,
    levels: [
      {
        level: 6,
        label: 'same address',
        related: true,
        when: `l.address_key = r.address_key AND NOT ${FIRST_NAMES_DIFFER}`,
        m: 0.7,
        tf: 'greatest(l.tf_address, r.tf_address)',
      },
      {
        level: 5,
        label: 'same address, first names differ (a household?)',
        related: true,
        when: 'l.address_key = r.address_key',
        m: 0.03,
      },
      {
        level: 4,
        label: 'similar address, same postcode',
        when: `l.postcode_norm = r.postcode_norm AND ${jw('l.address_norm', 'r.address_norm')} >= 0.88`,
        m: 0.05,
      },
      { level: 3, label: 'same postcode', when: 'l.postcode_norm = r.postcode_norm', m: 0.05 },
      {
        level: 2,
        label: 'same city',
        when: 'l.city_norm = r.city_norm',
        m: 0.05,
        tf: 'greatest(l.tf_city, r.tf_city)',
      },
      { level: 1, label: 'same region', when: 'l.region_norm = r.region_norm', m: 0.02 },
      { level: 0, label: 'different', when: 'true', m: 0.1 },
    ],
  },
  {
    name: 'national_id',
    columns: ['national_id_key'],
    isNull: 'l.national_id_key IS NULL OR r.national_id_key IS NULL',
    certainConflictLevels: [0],
    levels: [
      { level: 2, label: 'exact', when: 'l.national_id_key = r.national_id_key', m: 0.9 },
      {
        level: 1,
        label: 'one typo',
        when: 'damerau_levenshtein(l.national_id_key, r.national_id_key) <= 1',
        m: 0.08,
      },
      { level: 0, label: 'different', when: 'true', m: 0.02 },
    ],
  },
  {
    name: 'name_suffix',
    columns: ['name_suffix'],
    // a suffix on one side only is still information: sources drop "Sr" far more often than "Jr"
    isNull: 'l.name_suffix IS NULL AND r.name_suffix IS NULL',
    certainConflictLevels: [0],
    levels: [
      { level: 2, label: 'same generation', when: 'l.name_suffix = r.name_suffix', m: 0.6 },
      {
        level: 1,
        label: 'a generation on one side only',
        when: 'l.name_suffix IS NULL OR r.name_suffix IS NULL',
        m: 0.39,
      },
      { level: 0, label: 'different generations (father and son)', when: 'true', m: 0.01 },
    ],
  },
  {
    name: 'gender',
    columns: ['gender_norm'],
    isNull: 'l.gender_norm IS NULL OR r.gender_norm IS NULL',
    levels: [
      { level: 1, label: 'same', when: 'l.gender_norm = r.gender_norm', m: 0.97 },
      { level: 0, label: 'different', when: 'true', m: 0.03 },
    ],
  },
];
