import { Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';
import { quoteLiteral } from '../../foundation/sql.ts';
import { TYPES } from './phones.ts';

// The phone numbers SQL can standardise with certainty: `cdw_sql_std_phone(raw, country)` gives
// what `phoneParts` (party-std-parts.ts over standardisePhone in phones.ts) gives — E.164, line
// type, valid — for the numbers libphonenumber would find valid in a region these macros were
// made for, written as digits with spaces, dashes, dots and brackets: "+7 916 123-45-67",
// "8 (495) 123-45-67", "(212) 555-0123". Everything else — other regions, extensions, letters,
// "00" and IDD prefixes, national prefixes libphonenumber would have to weigh, invalid numbers —
// gives NULL and is left to libphonenumber. The rules are libphonenumber-js's parse, step by step
// (comments name its helpers); the patterns are its own metadata, so no locale knowledge is
// written here. The metadata's patterns are RE2-compatible (Google's C++ library runs them on
// RE2), which is what DuckDB's regular expressions are.

interface PhoneType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface Plan {
  callingCode(): string;
  IDDPrefix(): string;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  type(name: string): PhoneType | undefined;
}
interface PlanMetadata {
  selectNumberingPlan(country: string): void;
  numberingPlan: Plan;
  countryCallingCodes(): Record<string, string[]>;
}

function planMetadata(): PlanMetadata {
  return new Metadata(metadata) as unknown as PlanMetadata;
}

/** getNumberType's order after FIXED_LINE. */
const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

const ourType = (t: string): string => quoteLiteral(TYPES[t as keyof typeof TYPES] ?? 'unknown');

/** The regions whose numbers these macros can standardise: `region` → calling code. */
export function sqlPhoneRegions(regions: Iterable<string>): Map<string, string> {
  const m = planMetadata();
  const codes = m.countryCallingCodes();
  const out = new Map<string, string>();
  for (const region of regions) {
    const cc = Object.entries(codes).find(([, countries]) => countries.includes(region))?.[0];
    // Only the main region of its calling code: another region of the code is chosen only after
    // the main one is ruled out (getCountryByCallingCode), which needs the main one's rules too.
    if (cc === undefined || codes[cc]![0] !== region) continue;
    // extractCountryCallingCode takes the shortest known code: none may be a prefix of this one
    if (Object.keys(codes).some((c) => c !== cc && cc.startsWith(c))) continue;
    out.set(region, cc);
  }
  return out;
}

/** The main region of the calling code a "+…" number starts with, if any. */
export function callingCodeRegion(digits: string): string | undefined {
  const codes = planMetadata().countryCallingCodes();
  for (let i = 1; i <= 3 && i <= digits.length; i++) {
    const found = codes[digits.slice(0, i)];
    if (found !== undefined) return found[0];
  }
  return undefined;
}

function lengthsSql(n: string, lengths: number[] | undefined): string {
  return lengths === undefined || lengths.length === 0
    ? 'true'
    : `length(${n}) IN (${lengths.join(', ')})`;
}

/** isNumberTypeEqualTo: the type's possible lengths and pattern. */
function isTypeSql(plan: Plan, name: string, n: string): string {
  const t = plan.type(name);
  if (t === undefined || !t.pattern()) return 'false';
  return `(${lengthsSql(n, t.possibleLengths())} AND regexp_full_match(${n}, ${quoteLiteral(t.pattern())}))`;
}

/** getNumberType, mapped to our type names; NULL when the number has none (invalid). */
function typeSql(plan: Plan, n: string): string {
  const mobile = plan.type('MOBILE');
  const fixedIsAlsoMobile =
    mobile === undefined || mobile.pattern() === '' ? 'true' : `${isTypeSql(plan, 'MOBILE', n)}`;
  return `CASE WHEN NOT regexp_full_match(${n}, ${quoteLiteral(plan.nationalNumberPattern())}) THEN NULL
    WHEN ${isTypeSql(plan, 'FIXED_LINE', n)} THEN CASE WHEN ${fixedIsAlsoMobile} THEN ${ourType('FIXED_LINE_OR_MOBILE')} ELSE ${ourType('FIXED_LINE')} END
    ${NON_FIXED_LINE_TYPES.map((t) => `WHEN ${isTypeSql(plan, t, n)} THEN ${ourType(t)}`).join('\n    ')}
  END`;
}

/** SQL: whether `pattern` matches at the start of `n` (a RegExp's `search(…) === 0`). */
function matchesAtStart(n: string, pattern: string): string {
  return `regexp_matches(${n}, ${quoteLiteral(`^(?:${pattern})`)})`;
}

/** Whether a national-prefix-for-parsing pattern has capturing groups (a carrier code, a transform). */
function hasGroups(pattern: string): boolean {
  return (new RegExp(`${pattern}|`).exec('')?.length ?? 1) > 1;
}

/**
 * The macros for `regions` (see `sqlPhoneRegions`): per region `cdw_sql_phone_type__xx(n)`
 * (getNumberType), then over all of them the stages `cdw_sql_phone_candidate`,
 * `cdw_sql_phone_type` and `cdw_sql_phone_parts`, and `cdw_sql_std_phone(raw, country)`.
 */
export function phoneSqlMacros(regions: ReadonlyMap<string, string>): string {
  const m = planMetadata();
  const out: string[] = [];
  const none = `NULL::STRUCT(cc VARCHAR, region VARCHAR, n VARCHAR)`;
  // a CASE needs one WHEN even when no region is given
  const intl: string[] = [`WHEN false THEN ${none}`];
  const national: string[] = [`WHEN false THEN ${none}`];
  const types: string[] = [`WHEN NULL THEN NULL::VARCHAR`];
  for (const [region, cc] of regions) {
    m.selectNumberingPlan(region);
    const plan = m.numberingPlan;
    const r = region.toLowerCase();
    const ld = plan.leadingDigits();
    // a national significant number getCountryByCallingCode gives this region for (its leading
    // digits; else its type, checked with the type below), no digit repeated throughout
    const nsn = (n: string) =>
      `length(${n}) >= 2 AND ${n} <> repeat(left(${n}, 1), length(${n}))${ld ? ` AND ${matchesAtStart(n, ld)}` : ''}`;
    const candidate = (n: string) => `{'cc': '${cc}', 'region': '${region}', 'n': ${n}}`;
    out.push(`CREATE OR REPLACE TEMP MACRO cdw_sql_phone_type__${r}(n) AS ${typeSql(plan, 'n')};`);
    types.push(`WHEN '${region}' THEN cdw_sql_phone_type__${r}(n)`);
    const npfp = plan.nationalPrefixForParsing();
    // "+cc…": extractNationalNumber would try the national prefix even here; only numbers it
    // cannot strip one from are ours
    const afterCc = `substr(d, ${cc.length + 1})`;
    intl.push(
      `WHEN starts_with(d, '${cc}')${npfp ? ` AND NOT ${matchesAtStart(afterCc, npfp)}` : ''} AND ${nsn(afterCc)} THEN ${candidate(afterCc)}`,
    );
    // national: not an IDD prefix (stripIddPrefix), not starting with the calling code
    // (extractCountryCallingCodeFromInternationalNumberWithoutPlusSign); a national prefix is
    // stripped when what is left is a number of the region's pattern and of a possible length
    // (extractNationalNumber would keep it otherwise, or need a transform rule)
    const own = `country = '${region}' AND NOT ${matchesAtStart('d', plan.IDDPrefix())} AND NOT starts_with(d, '${cc}')`;
    if (npfp) {
      national.push(
        `WHEN ${own} AND NOT ${matchesAtStart('d', npfp)} AND ${nsn('d')} THEN ${candidate('d')}`,
      );
      if (!hasGroups(npfp)) {
        const stripped = `regexp_replace(d, ${quoteLiteral(`^(?:${npfp})`)}, '')`;
        national.push(
          `WHEN ${own} AND ${stripped} <> d AND regexp_full_match(${stripped}, ${quoteLiteral(plan.nationalNumberPattern())})
             AND ${lengthsSql(stripped, plan.possibleLengths())} AND ${nsn(stripped)} THEN ${candidate(stripped)}`,
        );
      }
    } else {
      national.push(`WHEN ${own} AND ${nsn('d')} THEN ${candidate('d')}`);
    }
  }
  out.push(
    // The stages take columns, so that a query computes each once: digits `d` of `raw` (the
    // phone), then the candidate, then its type.
    // `cdw_sql_phone_candidate(raw, d, country)`: calling code, region and national significant
    // number, for digits with spaces, dashes, dots, brackets (no extension, letters or "00"), at
    // most 17 digits, not all one digit (standardisePhone's own checks); NULL: not decidable
    `CREATE OR REPLACE TEMP MACRO cdw_sql_phone_candidate(raw, d, country) AS
      CASE WHEN length(d) BETWEEN 2 AND 17 AND d <> repeat(left(d, 1), length(d)) THEN
        CASE WHEN regexp_full_match(raw, ' *\\+[0-9][0-9 ()\\-.]*') THEN CASE ${intl.join('\n  ')} ELSE ${none} END
             WHEN regexp_full_match(raw, ' *\\(?[0-9][0-9 ()\\-.]*') AND NOT regexp_matches(raw, '^[ (]*00')
             THEN CASE ${national.join('\n  ')} ELSE ${none} END
             ELSE ${none} END
      ELSE ${none} END;`,
    // the line type of a candidate's number in its region; NULL: not a valid number there
    `CREATE OR REPLACE TEMP MACRO cdw_sql_phone_type(region, n) AS CASE region ${types.join('\n  ')} END;`,
    // cdw_std_phone's struct: no number, all fields NULL (as phoneParts); NULL when SQL cannot decide
    `CREATE OR REPLACE TEMP MACRO cdw_sql_phone_parts(raw, candidate, type) AS
      CASE WHEN raw IS NULL OR regexp_full_match(raw, ' *') THEN {'e164': NULL::VARCHAR, 'type': NULL::VARCHAR, 'valid': NULL::BOOLEAN}
           WHEN type IS NOT NULL THEN {'e164': '+' || candidate.cc || candidate.n, 'type': type, 'valid': true}
      END;`,
    // all in one, for a single value (a query over many should compute the stages as columns)
    `CREATE OR REPLACE TEMP MACRO cdw_sql_std_phone(raw, country) AS
      cdw_sql_phone_parts(raw,
        cdw_sql_phone_candidate(raw, regexp_replace(raw, '[^0-9]', '', 'g'), country),
        cdw_sql_phone_type(cdw_sql_phone_candidate(raw, regexp_replace(raw, '[^0-9]', '', 'g'), country).region,
                           cdw_sql_phone_candidate(raw, regexp_replace(raw, '[^0-9]', '', 'g'), country).n));`,
  );
  return out.join('\n');
}
