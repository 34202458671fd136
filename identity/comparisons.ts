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
}

export interface Comparison {
  readonly name: string;
  /** Record columns it reads: a blocking rule on one of them leaves it out of that rule's EM session. */
  readonly columns: readonly string[];
  /** SQL over `l.` and `r.`: either side missing (level -1). */
  readonly isNull: string;
  /** Highest level first; the last is level 0, "else". */
  readonly levels: readonly ComparisonLevel[];
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

export const COMPARISONS: readonly Comparison[] = [
  {
    name: 'first_name',
    columns: ['first_key', 'given_key', 'first_initial', 'first_n', 'names_key', 'last_given'],
    isNull: 'l.first_key IS NULL OR r.first_key IS NULL',
    levels: [
      {
        level: 5,
        label: 'exact (or first/last swapped)',
        when: `l.first_key = r.first_key OR (l.given_key <> r.given_key AND ${SWAPPED})`,
        m: 0.8,
        tf: 'greatest(l.tf_first, r.tf_first)',
      },
      { level: 4, label: 'same name group (nickname)', when: 'l.given_key = r.given_key', m: 0.1 },
      {
        level: 3,
        label: 'jaro-winkler >= 0.92, or one edit away from a rare spelling',
        // "shsron" is a typo of "sharon"; "mary" and "mark" are two names
        // (damerau_levenshtein is slow: the CASE keeps it to the few pairs with a rare spelling)
        when: `${jw('l.first_key', 'r.first_key')} >= 0.92 OR CASE WHEN least(l.first_n, r.first_n) <= 2 AND abs(length(l.first_key) - length(r.first_key)) <= 2
          THEN least(damerau_levenshtein(l.first_key, r.first_key), damerau_levenshtein(l.given_key, r.first_key), damerau_levenshtein(l.first_key, r.given_key)) <= 1 ELSE false END`,
        m: 0.04,
      },
      {
        level: 2,
        label: 'initial of the other',
        when: '(length(l.first_key) = 1 OR length(r.first_key) = 1) AND l.first_initial = r.first_initial',
        m: 0.02,
      },
      {
        level: 1,
        label: 'jaro-winkler >= 0.80, or matches the other surname',
        when: `${jw('l.first_key', 'r.first_key')} >= 0.80 OR ${CROSSED}`,
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.02 },
    ],
  },
  {
    name: 'last_name',
    columns: ['last_key', 'last_sk', 'last_initial', 'names_key', 'surname_stem'],
    isNull: 'l.last_key IS NULL OR r.last_key IS NULL',
    levels: [
      {
        level: 3,
        label: 'exact (or first/last swapped)',
        when: `l.last_key = r.last_key OR (${SWAPPED})`,
        m: 0.85,
        tf: 'greatest(l.tf_last, r.tf_last)',
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
      { level: 4, label: 'exact', when: 'l.birth_date = r.birth_date', m: 0.88 },
      {
        level: 3,
        label: 'day and month transposed',
        when: 'year(l.birth_date) = year(r.birth_date) AND month(l.birth_date) = day(r.birth_date) AND day(l.birth_date) = month(r.birth_date)',
        m: 0.02,
      },
      {
        level: 2,
        label: 'one digit differs (or two swapped)',
        when: `CASE WHEN length(l.birth_str) <> length(r.birth_str) THEN damerau_levenshtein(l.birth_str, r.birth_str) <= 1
          WHEN hamming(l.birth_str, r.birth_str) <= 1 THEN true
          WHEN hamming(l.birth_str, r.birth_str) = 2 THEN damerau_levenshtein(l.birth_str, r.birth_str) <= 1 ELSE false END`,
        m: 0.04,
      },
      {
        level: 1,
        label: 'within a year',
        when: "abs(date_diff('day', l.birth_date, r.birth_date)) <= 366",
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.04 },
    ],
  },
  {
    name: 'email',
    columns: ['email_key', 'email_user', 'email_local', 'email_domain', 'email_user_is_name'],
    // two different addresses whose mailbox names only spell the person's name ("anna.li@x"
    // and "anna.li@y") say nothing the name comparisons have not said already
    isNull:
      'l.email_key IS NULL OR r.email_key IS NULL OR (l.email_key <> r.email_key AND l.email_user_is_name AND r.email_user_is_name)',
    levels: [
      {
        level: 3,
        label: 'exact',
        when: 'l.email_key = r.email_key',
        m: 0.7,
        tf: 'greatest(l.tf_email, r.tf_email)',
      },
      {
        level: 2,
        label: 'same mailbox name at another domain',
        when: 'l.email_user = r.email_user',
        m: 0.06,
        tf: 'greatest(l.tf_email_user, r.tf_email_user)',
      },
      // One edit anywhere ("vrronika.…" — jaro-winkler punishes an early typo), or close spellings.
      {
        level: 1,
        label: 'one typo, or mailbox names jaro-winkler >= 0.88',
        when: `damerau_levenshtein(l.email_key, r.email_key) <= 1 OR ${jw('l.email_key', 'r.email_key')} >= 0.96 OR ${jw('l.email_user', 'r.email_user')} >= 0.88`,
        m: 0.05,
      },
      { level: 0, label: 'different', when: 'true', m: 0.17 },
    ],
  },
  {
    name: 'phone',
    columns: ['phone_e164', 'mobile_e164', 'phones'],
    isNull:
      '(l.phone_e164 IS NULL AND l.mobile_e164 IS NULL) OR (r.phone_e164 IS NULL AND r.mobile_e164 IS NULL)',
    levels: [
      {
        level: 3,
        label: 'same mobile number',
        when: "l.mobile_e164 = r.mobile_e164 OR l.mobile_e164 = r.phone_e164 OR l.phone_e164 = r.mobile_e164 OR (l.phone_e164 = r.phone_e164 AND (l.phone_type = 'mobile' OR r.phone_type = 'mobile'))",
        m: 0.6,
        tf: 'CASE WHEN l.mobile_e164 = r.mobile_e164 THEN greatest(l.tf_mobile, r.tf_mobile) WHEN l.mobile_e164 = r.phone_e164 THEN greatest(l.tf_mobile, r.tf_phone) WHEN l.phone_e164 = r.mobile_e164 THEN greatest(l.tf_phone, r.tf_mobile) ELSE greatest(l.tf_phone, r.tf_phone) END',
      },
      {
        level: 2,
        label: 'same other number (landline)',
        when: 'l.phone_e164 = r.phone_e164',
        m: 0.15,
        tf: 'greatest(l.tf_phone, r.tf_phone)',
      },
      {
        level: 1,
        label: 'a number differs in one or two digits',
        // hamming needs equal lengths; the CASE keeps it from ever seeing two lengths
        when: `${nearNumber('l.mobile_e164', 'r.mobile_e164')} OR ${nearNumber('l.phone_e164', 'r.phone_e164')}`,
        m: 0.02,
      },
      { level: 0, label: 'different', when: 'true', m: 0.23 },
    ],
  },
  {
    name: 'location',
    columns: ['address_key', 'address_norm', 'postcode_norm', 'postcode_area', 'city_norm'],
    isNull:
      '(l.address_key IS NULL AND l.postcode_norm IS NULL) OR (r.address_key IS NULL AND r.postcode_norm IS NULL)',
    levels: [
      {
        level: 3,
        label: 'same address',
        when: 'l.address_key = r.address_key',
        m: 0.75,
        tf: 'greatest(l.tf_address, r.tf_address)',
      },
      {
        level: 2,
        label: 'similar address, same postcode',
        when: `l.postcode_norm = r.postcode_norm AND ${jw('l.address_norm', 'r.address_norm')} >= 0.88`,
        m: 0.05,
      },
      { level: 1, label: 'same postcode', when: 'l.postcode_norm = r.postcode_norm', m: 0.05 },
      { level: 0, label: 'different', when: 'true', m: 0.15 },
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
