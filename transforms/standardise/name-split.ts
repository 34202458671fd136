import { isParticle, isPatronymic, suffixOf, titleOf } from './name-affixes.ts';
import { isKnownGivenName } from './nicknames.ts';
import { isLikelySurname } from './surnames.ts';
import { nameKey } from './transliterate.ts';

/** Name words sorted into their roles, in source order and script. */
export interface NameParts {
  first: string[];
  middle: string[];
  last: string[];
  titles: string[];
  suffixes: string[];
}

const QUOTED = /["“”«»„(][^"“”«»„()]*["“”«»)]/g;
const NOT_NAME_CHAR = /[^\p{L}\p{M}\s\-'’.,]/gu;
const APOSTROPHE = /’/g;
const INNER_DOT = /\.(?=\p{L})/u;
const SPACED_HYPHEN = /\s*-\s*/g;
const SPACES = /\s+/g;

/** Normalises a name field: NFC, quoted nicknames and stray symbols out, spaces collapsed. */
export function cleanName(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .normalize('NFC')
    .replace(QUOTED, ' ')
    .replace(NOT_NAME_CHAR, ' ')
    .replace(APOSTROPHE, "'")
    .replace(SPACED_HYPHEN, '-')
    .replace(SPACES, ' ')
    .trim();
}

/** Splits on spaces; "J.A." becomes two initials but "Ph.D." stays one suffix. */
export function nameTokens(text: string): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (const token of text.split(' ')) {
    if (INNER_DOT.test(token) && suffixOf(token) === null && titleOf(token) === null) {
      for (const piece of token.split('.')) if (piece.length > 0) out.push(`${piece}.`);
    } else if (token !== '.' && token !== '-' && token !== "'") {
      out.push(token);
    }
  }
  return out;
}

/** Moves leading titles into `titles`, always leaving one word. */
export function stripTitles(tokens: string[], titles: string[]): void {
  while (tokens.length > 1) {
    const title = titleOf(tokens[0]!);
    if (title === null) return;
    titles.push(title);
    tokens.shift();
  }
}

/** Moves trailing suffixes into `suffixes`, always leaving one word. */
export function stripSuffixes(tokens: string[], suffixes: string[]): void {
  while (tokens.length > 1) {
    const suffix = suffixOf(tokens[tokens.length - 1]!);
    if (suffix === null) return;
    suffixes.unshift(suffix);
    tokens.pop();
  }
}

/** `nameKey` of a word, '' for a missing one. */
export function keyOf(token: string | undefined): string {
  return token === undefined ? '' : nameKey(token);
}

/** Splits given names and surname written in one string, in whatever order the string implies. */
function splitOrdered(t: string[], surnameFirstAllowed: boolean, parts: NameParts): void {
  const n = t.length;
  if (n === 0) return;
  if (n === 1) {
    (isKnownGivenName(keyOf(t[0])) ? parts.first : parts.last).push(t[0]!);
    return;
  }
  // "PEMFORD L", "Smith J A", "Иванов И.И.": a word followed only by initials is a surname
  // first (unless the word is a given name that is no surname: "John A")
  const initial = (x: string | undefined) => keyOf(x).length === 1;
  if (n >= 2 && !initial(t[0]) && t.slice(1).every(initial)) {
    const k0 = keyOf(t[0]);
    if (!isKnownGivenName(k0) || isLikelySurname(k0)) {
      parts.last.push(t[0]!);
      parts.first.push(t[1]!);
      parts.middle.push(...t.slice(2));
      return;
    }
  }
  if (n >= 3 && isPatronymic(keyOf(t[1]))) {
    parts.first.push(t[0]!);
    parts.middle.push(t[1]!);
    parts.last.push(...t.slice(2));
    return;
  }
  if (isPatronymic(keyOf(t[n - 1]))) {
    if (n === 2) {
      parts.first.push(t[0]!);
    } else {
      parts.last.push(t[0]!);
      parts.first.push(t[1]!);
      parts.middle.push(...t.slice(2, n - 1));
    }
    parts.middle.push(t[n - 1]!);
    return;
  }
  if (n === 2) {
    const k0 = keyOf(t[0]);
    const surnameFirst =
      surnameFirstAllowed &&
      isLikelySurname(k0) &&
      !isKnownGivenName(k0) &&
      isKnownGivenName(keyOf(t[1]));
    parts.first.push(t[surnameFirst ? 1 : 0]!);
    parts.last.push(t[surnameFirst ? 0 : 1]!);
    return;
  }
  let lastStart = n - 1;
  while (lastStart > 1 && isParticle(t[lastStart - 1]!)) lastStart--;
  parts.first.push(t[0]!);
  parts.middle.push(...t.slice(1, lastStart));
  parts.last.push(...t.slice(lastStart));
}

/**
 * Splits a full name: "Surname, Given Middle" when there is a comma,
 * otherwise by patronymic position, then (when `surnameFirstAllowed`)
 * surname-first for two words that look that way, else given-first with
 * surname particles (van, de) kept with the surname.
 */
export function splitFullName(text: string, surnameFirstAllowed: boolean, parts: NameParts): void {
  const segments: string[][] = [];
  for (const segment of text.split(',')) {
    const t = nameTokens(segment.trim());
    if (t.length === 0) continue;
    const suffixes = t.map(suffixOf);
    if (segments.length > 0 && suffixes.every((s) => s !== null)) {
      parts.suffixes.push(...suffixes);
    } else {
      segments.push(t);
    }
  }
  const head = segments[0];
  if (head === undefined) return;
  if (segments.length >= 2) {
    // "Surname, Given Middle": a comma always means surname first.
    stripTitles(head, parts.titles);
    stripSuffixes(head, parts.suffixes);
    parts.last.push(...head);
    const given = segments.slice(1).flat();
    stripTitles(given, parts.titles);
    stripSuffixes(given, parts.suffixes);
    parts.first.push(...given.slice(0, 1));
    parts.middle.push(...given.slice(1));
    return;
  }
  stripTitles(head, parts.titles);
  stripSuffixes(head, parts.suffixes);
  splitOrdered(head, surnameFirstAllowed, parts);
}
