export { standardiseAddress, type AddressInput, type StandardAddress } from './addresses.ts';
export { countryCode } from './countries.ts';
export {
  isPlausibleBirthDate,
  parseDate,
  parseTimestamp,
  type DateOptions,
  type ParseResult,
} from './dates.ts';
export { registerStandardiseUdfs } from './duckdb-udfs.ts';
export { standardiseEmail, type StandardEmail } from './emails.ts';
export { standardiseName, type NameInput, type NameOptions, type StandardName } from './names.ts';
export { canonicalGivenName, isKnownGivenName } from './nicknames.ts';
export { isPhoneCountry, standardisePhone, type PhoneType, type StandardPhone } from './phones.ts';
export { hasPostcodeRule, standardisePostcode } from './postcodes.ts';
export { isKnownSurname, isLikelySurname } from './surnames.ts';
export { nameKey, transliterate, wordsKey } from './transliterate.ts';
export { isBot } from './user-agents.ts';
