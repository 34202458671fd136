import { generationOf, isParticle, isPatronymic, titleOf } from './name-affixes.ts';
import {
  cleanName,
  keyOf,
  nameTokens,
  splitFullName,
  stripSuffixes,
  stripTitles,
  type NameParts,
} from './name-split.ts';
import { isKnownGivenName } from './nicknames.ts';
import { properCase } from './proper-case.ts';
import { isLikelySurname } from './surnames.ts';
import { nameKey } from './transliterate.ts';

const DOTS = /\./g;
const CYRILLIC = /[\u0400-\u04ff]/;

/** Name fields as a source gives them; any may be missing. */
export interface NameInput {
  full_name?: string | null;
  title?: string | null;
  first_name?: string | null;
  middle_name?: string | null;
  last_name?: string | null;
}

export interface NameOptions {
  /** 'ru' reads two-word Latin names surname-first when they look that way. */
  locale?: 'en' | 'ru';
}

/**
 * A standardised person name. `first`, `middle`, `last` keep the source
 * script, proper-cased; the `_key` forms are transliterated lower-case
 * ASCII letters for comparison (see `nameKey`). `full_key` is first key +
 * last key (middle names are left out because sources disagree on them).
 * `swapped_suspect` is true when the first name looks like a surname and
 * the last name like a given name.
 */
export interface StandardName {
  first: string | null;
  middle: string | null;
  last: string | null;
  title: string | null;
  suffix: string | null;
  /** The generation the suffixes name (`jr`, `sr`, `iii`, `iv`), for telling father and son apart. */
  generation: string | null;
  first_key: string | null;
  last_key: string | null;
  full_key: string | null;
  swapped_suspect: boolean;
}

function surnameFirstAllowed(text: string, opts: NameOptions): boolean {
  return opts.locale === 'ru' || CYRILLIC.test(text);
}

function parseFields(input: NameInput, first: string[], last: string[], parts: NameParts): void {
  stripTitles(first, parts.titles);
  stripSuffixes(last, parts.suffixes);
  const middle = nameTokens(cleanName(input.middle_name));
  const lastOfFirst = first[first.length - 1];
  if (middle.length === 0 && first.length >= 2 && lastOfFirst !== undefined) {
    const key = keyOf(lastOfFirst);
    if (key.length === 1 || isPatronymic(key)) middle.push(first.pop()!);
  }
  parts.first.push(...first);
  parts.middle.push(...middle);
  parts.last.push(...last);
}

function display(t: string[], isSurname: boolean): string | null {
  if (t.length === 0) return null;
  const words = t.map((token, i) => {
    const bare = token.replace(DOTS, '');
    return isSurname && i < t.length - 1 && isParticle(bare)
      ? bare.toLowerCase()
      : properCase(bare);
  });
  const joined = words.filter((w) => w.length > 0).join(' ');
  return joined.length === 0 ? null : joined;
}

/**
 * Standardises a person name from either a full-name string or separate
 * fields (fields win when present). Understands "Surname, Given",
 * leading titles and trailing suffixes ("Dr. John A. Smith Jr."), Russian
 * order with patronymic ("Иванов Иван Иванович") and, for Cyrillic text or
 * locale 'ru', two-word surname-first names ("Петров Иван").
 */
export function standardiseName(input: NameInput, opts: NameOptions = {}): StandardName {
  const parts: NameParts = { first: [], middle: [], last: [], titles: [], suffixes: [] };
  const first = nameTokens(cleanName(input.first_name));
  const last = nameTokens(cleanName(input.last_name));
  const full = cleanName(input.full_name);
  if (first.length === 0 && last.length === 0) {
    if (full.length > 0) splitFullName(full, surnameFirstAllowed(full, opts), parts);
  } else if (
    full.length === 0 &&
    (first.length === 0 || last.length === 0) &&
    first.length + last.length >= 2
  ) {
    // A whole name typed into a single name field.
    const whole = cleanName(first.length > 0 ? input.first_name : input.last_name);
    splitFullName(whole, surnameFirstAllowed(whole, opts), parts);
  } else {
    parseFields(input, first, last, parts);
  }

  const givenTitle = cleanName(input.title).replace(DOTS, '');
  const title =
    givenTitle.length > 0
      ? (titleOf(givenTitle) ?? properCase(givenTitle))
      : (parts.titles[0] ?? null);
  const firstName = display(parts.first, false);
  const lastName = display(parts.last, true);
  const firstKey = firstName === null ? null : nameKey(firstName) || null;
  const lastKey = lastName === null ? null : nameKey(lastName) || null;
  const fullKey = (firstKey ?? '') + (lastKey ?? '');
  return {
    first: firstName,
    middle: display(parts.middle, false),
    last: lastName,
    title,
    suffix: parts.suffixes.length > 0 ? parts.suffixes.join(' ') : null,
    generation: parts.suffixes.map(generationOf).find((g) => g !== null) ?? null,
    first_key: firstKey,
    last_key: lastKey,
    full_key: fullKey.length > 0 ? fullKey : null,
    swapped_suspect:
      firstKey !== null &&
      lastKey !== null &&
      isLikelySurname(firstKey) &&
      !isKnownGivenName(firstKey) &&
      isKnownGivenName(lastKey),
  };
}
