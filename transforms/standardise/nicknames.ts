import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Given-name variants grouped by person-name identity, in key form (see `nameKey`), read from
 * `given-names.yaml` beside this file (locale knowledge is data: the file says how groups are
 * made). The first entry of each group is its canonical key.
 */
interface GivenNames {
  readonly english: readonly (readonly string[])[];
  readonly russian: readonly (readonly string[])[];
  readonly equivalents: readonly (readonly string[])[];
}

const GIVEN_NAMES = parse(
  readFileSync(new URL('./given-names.yaml', import.meta.url), 'utf8'),
) as GivenNames;

export const ENGLISH_NICKNAME_GROUPS = GIVEN_NAMES.english;
/** Russian given names, canonical key = our transliteration of the Cyrillic. */
export const RUSSIAN_NICKNAME_GROUPS = GIVEN_NAMES.russian;
/** One name in two languages: the groups of the names on a line are one group. */
export const GIVEN_NAME_EQUIVALENTS = GIVEN_NAMES.equivalents;

/** Variant → canonical key, with the groups an equivalence joins mapped to the first one's key. */
function canonicalTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (const group of [...ENGLISH_NICKNAME_GROUPS, ...RUSSIAN_NICKNAME_GROUPS])
    for (const variant of group) table.set(variant, group[0]!);
  for (const names of GIVEN_NAME_EQUIVALENTS) {
    const head = table.get(names[0]!) ?? names[0]!;
    const joined = new Set(names.map((n) => table.get(n) ?? n));
    for (const [variant, key] of table) if (joined.has(key)) table.set(variant, head);
    for (const n of names) table.set(n, head);
  }
  return table;
}

const CANONICAL = canonicalTable();

/** Every given-name key the table knows, with its canonical group key. */
export function givenNameEntries(): [variant: string, canonical: string][] {
  return [...CANONICAL];
}

/**
 * The canonical group key of a given-name key ("bob" → "robert",
 * "sasha" → "aleksandr", "yulia" → "yuliya", "grigoriy" → "gregory"); the input itself when the
 * name is not in the table. Input must already be a name key.
 */
export function canonicalGivenName(key: string): string {
  return CANONICAL.get(key) ?? key;
}

/** Whether a name key is a given name (any variant) in the nickname table. */
export function isKnownGivenName(key: string): boolean {
  return CANONICAL.has(key);
}
