import { CITY_WORDS, DIRECTIONS, REGION_WORDS, STREET_TYPES, UNIT_WORDS } from './address-words.ts';
import { countryCode } from './countries.ts';
import { hasPostcodeRule, standardisePostcode } from './postcodes.ts';
import { properCase } from './proper-case.ts';
import { wordsKey } from './transliterate.ts';

/** Address fields as a source gives them. */
export interface AddressInput {
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
  country?: string | null;
}

/**
 * A standardised address. `line` has canonical abbreviations (USPS for
 * English: "12 Main St Apt 4"; Russian Post: "ул Ленина д 5 кв 12"), no
 * punctuation, city/region/country/postcode parts moved out. `key` is the
 * household key: transliterated lower-case line words, "|", then the
 * postcode or, without one, the city ("12 main st apt 4|02134",
 * "ul lenina d 5 kv 12|101000", "10 downing st|sw1a 2aa"); null
 * without a line.
 */
export interface StandardAddress {
  line: string | null;
  postcode: string | null;
  city: string | null;
  country: string | null;
  key: string | null;
}

const PART_SEPARATORS = /[,;\n\r]+/;
const DOT_INSIDE = /\.(?=\S)/g;
const HASH = /#/g;
const NUMERO = /№/g;
const DROP = /[^\p{L}\p{M}\p{N}\s\-/#]/gu;
const SPACES = /\s+/g;
const ORDINAL = /^\d+(?:st|nd|rd|th|-?[яйе]|-?го)$/iu;
const STARTS_WITH_DIGIT = /^\d/;
const CYRILLIC = /[\u0400-\u04ff]/;

function splitWords(part: string): string[] {
  const cleaned = part
    .replace(DOT_INSIDE, '. ')
    .replace(HASH, ' # ')
    .replace(NUMERO, ' ')
    .replace(DROP, ' ')
    .replace(SPACES, ' ')
    .trim();
  return cleaned.length === 0 ? [] : cleaned.split(' ');
}

function lower(word: string): string {
  return word.toLowerCase();
}

function displayWord(word: string): string {
  if (STARTS_WITH_DIGIT.test(word))
    return ORDINAL.test(word) ? word.toLowerCase() : word.toUpperCase();
  return properCase(word);
}

/** Canonical display form of one line word, given the word after it. */
function canonicalWord(word: string, next: string | undefined): string {
  const w = lower(word);
  const abbreviation = STREET_TYPES.get(w) ?? UNIT_WORDS.get(w);
  if (abbreviation === undefined) {
    const direction = DIRECTIONS.get(w);
    // "North St" is a street called North; "North Main St" points north.
    if (direction !== undefined && !(next !== undefined && STREET_TYPES.has(lower(next)))) {
      return direction.toUpperCase();
    }
    return displayWord(word);
  }
  return CYRILLIC.test(abbreviation) ? abbreviation : properCase(abbreviation);
}

function cleanCity(city: string): string | null {
  const words = splitWords(city);
  if (words.length > 1 && CITY_WORDS.has(lower(words[0]!))) words.shift();
  return words.length === 0 ? null : words.map(properCase).join(' ');
}

/** The ISO-2 country of an address: its own country when given, else `defaultCountry`'s. */
export function addressCountry(
  country: string | null | undefined,
  defaultCountry?: string | null,
): string | null {
  const givenCountry = country?.trim();
  return givenCountry ? countryCode(givenCountry) : countryCode(defaultCountry);
}

/**
 * Standardises an address. Country names and codes become ISO-2 (the
 * `defaultCountry` applies when the record has none); the postcode is
 * checked for that country (see `standardisePostcode`). Comma parts of the
 * line that are a postcode, a city ("г. Москва"), a region or the country
 * are taken out of the line, filling `city`/`postcode` when those are empty.
 */
export function standardiseAddress(
  input: AddressInput,
  defaultCountry?: string | null,
): StandardAddress {
  const country = addressCountry(input.country, defaultCountry);
  let city = input.city ? cleanCity(input.city) : null;
  let rawPostcode = input.postcode?.trim() || null;
  const cityKey = city === null ? null : wordsKey(city);

  const words: string[] = [];
  for (const part of (input.address ?? '').split(PART_SEPARATORS)) {
    const partWords = splitWords(part);
    const first = partWords[0];
    if (first === undefined) continue;
    const joined = partWords.join(' ');
    if (
      rawPostcode === null &&
      partWords.length <= 2 &&
      hasPostcodeRule(country) &&
      standardisePostcode(joined, country) !== null
    ) {
      rawPostcode = joined;
      continue;
    }
    const second = partWords[1];
    if (CITY_WORDS.has(lower(first)) && second !== undefined && !STARTS_WITH_DIGIT.test(second)) {
      city ??= cleanCity(partWords.slice(1).join(' '));
      continue;
    }
    if (partWords.some((w) => REGION_WORDS.has(lower(w)))) continue;
    if (country !== null && countryCode(joined) === country) continue;
    if (cityKey !== null && wordsKey(joined) === cityKey) continue;
    words.push(...partWords);
  }

  const lineWords = words.map((w, i) => canonicalWord(w, words[i + 1]));
  const line = lineWords.length === 0 ? null : lineWords.join(' ');
  const postcode = standardisePostcode(rawPostcode, country);
  const place = wordsKey(postcode ?? city ?? '');
  return {
    line,
    postcode,
    city,
    country,
    key: line === null ? null : `${wordsKey(line)}|${place}`,
  };
}
