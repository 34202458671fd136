import { isSupportedCountry } from 'libphonenumber-js/max';
import { wordsKey } from './transliterate.ts';

// Keyed by `wordsKey` of the name, so "Россия", "U.S.A." and "great britain"
// need one entry each whatever their case, punctuation or script.
const COUNTRY_NAMES: ReadonlyMap<string, string> = new Map([
  ['usa', 'US'], ['u s a', 'US'], ['u s', 'US'], ['united states', 'US'],
  ['united states of america', 'US'], ['america', 'US'], ['ssha', 'US'],
  ['soedinennye shtaty', 'US'], ['soedinennye shtaty ameriki', 'US'],
  ['rus', 'RU'], ['russia', 'RU'], ['russian federation', 'RU'], ['rossiya', 'RU'],
  ['rf', 'RU'], ['rossiyskaya federatsiya', 'RU'],
  ['uk', 'GB'], ['u k', 'GB'], ['gbr', 'GB'], ['united kingdom', 'GB'], ['great britain', 'GB'],
  ['britain', 'GB'], ['england', 'GB'], ['scotland', 'GB'], ['wales', 'GB'],
  ['northern ireland', 'GB'], ['velikobritaniya', 'GB'], ['angliya', 'GB'],
  ['soedinennoe korolevstvo', 'GB'],
  ['deu', 'DE'], ['germany', 'DE'], ['deutschland', 'DE'], ['germaniya', 'DE'],
  ['fra', 'FR'], ['france', 'FR'], ['frantsiya', 'FR'],
  ['ukr', 'UA'], ['ukraine', 'UA'], ['ukraina', 'UA'],
  ['blr', 'BY'], ['belarus', 'BY'], ['belorussiya', 'BY'],
  ['kaz', 'KZ'], ['kazakhstan', 'KZ'],
  ['can', 'CA'], ['canada', 'CA'], ['kanada', 'CA'],
  ['ita', 'IT'], ['italy', 'IT'], ['italiya', 'IT'],
  ['esp', 'ES'], ['spain', 'ES'], ['ispaniya', 'ES'],
  ['nld', 'NL'], ['netherlands', 'NL'], ['holland', 'NL'], ['the netherlands', 'NL'],
  ['niderlandy', 'NL'], ['gollandiya', 'NL'],
  ['pol', 'PL'], ['poland', 'PL'], ['polsha', 'PL'],
  ['aut', 'AT'], ['austria', 'AT'], ['avstriya', 'AT'],
  ['che', 'CH'], ['switzerland', 'CH'], ['shveytsariya', 'CH'],
  ['irl', 'IE'], ['ireland', 'IE'], ['irlandiya', 'IE'],
  ['aus', 'AU'], ['australia', 'AU'], ['avstraliya', 'AU'],
  ['chn', 'CN'], ['china', 'CN'], ['kitay', 'CN'],
  ['tur', 'TR'], ['turkey', 'TR'], ['turkiye', 'TR'], ['turtsiya', 'TR'],
  ['isr', 'IL'], ['israel', 'IL'], ['izrail', 'IL'],
  ['geo', 'GE'], ['georgia', 'GE'], ['gruziya', 'GE'],
  ['arm', 'AM'], ['armenia', 'AM'], ['armeniya', 'AM'],
  ['aze', 'AZ'], ['azerbaijan', 'AZ'], ['azerbaydzhan', 'AZ'],
  ['uzb', 'UZ'], ['uzbekistan', 'UZ'],
  ['kgz', 'KG'], ['kyrgyzstan', 'KG'], ['kirgiziya', 'KG'],
  ['mda', 'MD'], ['moldova', 'MD'],
  ['lva', 'LV'], ['latvia', 'LV'], ['latviya', 'LV'],
  ['ltu', 'LT'], ['lithuania', 'LT'], ['litva', 'LT'],
  ['est', 'EE'], ['estonia', 'EE'], ['estoniya', 'EE'],
  ['fin', 'FI'], ['finland', 'FI'], ['finlyandiya', 'FI'],
  ['swe', 'SE'], ['sweden', 'SE'], ['shvetsiya', 'SE'],
  ['nor', 'NO'], ['norway', 'NO'], ['norvegiya', 'NO'],
  ['dnk', 'DK'], ['denmark', 'DK'], ['daniya', 'DK'],
  ['cze', 'CZ'], ['czech republic', 'CZ'], ['czechia', 'CZ'], ['chekhiya', 'CZ'],
  ['mex', 'MX'], ['mexico', 'MX'], ['meksika', 'MX'],
  ['ind', 'IN'], ['india', 'IN'], ['indiya', 'IN'],
  ['jpn', 'JP'], ['japan', 'JP'], ['yaponiya', 'JP'],
  ['bra', 'BR'], ['brazil', 'BR'], ['braziliya', 'BR'],
  ['are', 'AE'], ['uae', 'AE'], ['united arab emirates', 'AE'], ['oae', 'AE'],
]);

/**
 * ISO 3166-1 alpha-2 code for a country name, alias or code in English or
 * Russian ("USA", "United States", "Россия", "РФ", "UK", "Great Britain",
 * "de"); null when unknown. Two-letter input is accepted when it is a
 * real region code ("UK" is mapped to "GB").
 */
export function countryCode(name: string | null | undefined): string | null {
  if (!name) return null;
  const key = wordsKey(name);
  if (key.length === 0) return null;
  const known = COUNTRY_NAMES.get(key);
  if (known !== undefined) return known;
  if (key.length === 2) {
    const code = key.toUpperCase();
    if (isSupportedCountry(code)) return code;
  }
  return null;
}
