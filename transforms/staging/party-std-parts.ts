import { addressCountry, standardiseAddress } from '../standardise/addresses.ts';
import { countryCode } from '../standardise/countries.ts';
import { standardiseEmail } from '../standardise/emails.ts';
import { canonicalGivenName } from '../standardise/nicknames.ts';
import { standardiseName } from '../standardise/names.ts';
import type { CountryCode } from 'libphonenumber-js/max';
import { isPhoneCountry, standardisePhone } from '../standardise/phones.ts';
import { nameKey } from '../standardise/transliterate.ts';

// The standardised parts of a party, as plain values: what the `cdw_std_*` functions return
// (party-udfs.ts wraps these same functions) and what a worker thread sends back. Nothing here
// touches DuckDB, so it loads in a worker.

type Arg = string | null;

export interface NameParts {
  first: Arg;
  middle: Arg;
  last: Arg;
  title: Arg;
  first_key: Arg;
  middle_key: Arg;
  last_key: Arg;
  given_key: Arg;
  swapped: boolean | null;
  generation: Arg;
}
export interface EmailParts {
  norm: Arg;
  key: Arg;
  valid: boolean | null;
  is_free: boolean | null;
  is_role: boolean | null;
}
export interface PhoneParts {
  e164: Arg;
  type: Arg;
  valid: boolean | null;
}
export interface AddressParts {
  line: Arg;
  postcode: Arg;
  city: Arg;
  country_code: Arg;
  key: Arg;
}

const RUSSIAN_ORDER_COUNTRIES = new Set(['RU', 'BY', 'KZ', 'KG', 'UA']);

const keyOf = (text: string | null): string | null =>
  text === null ? null : nameKey(text) || null;

/** `cdw_std_name(full_name, title, first_name, middle_name, last_name, country)`. */
export function nameParts(
  full_name: Arg,
  title: Arg,
  first_name: Arg,
  middle_name: Arg,
  last_name: Arg,
  country: Arg,
): NameParts {
  const locale = country != null && RUSSIAN_ORDER_COUNTRIES.has(country) ? 'ru' : 'en';
  const n = standardiseName({ full_name, title, first_name, middle_name, last_name }, { locale });
  return {
    first: n.first,
    middle: n.middle,
    last: n.last,
    title: n.title,
    first_key: n.first_key,
    middle_key: keyOf(n.middle),
    last_key: n.last_key,
    given_key: n.first_key === null ? null : canonicalGivenName(n.first_key),
    swapped: n.swapped_suspect,
    generation: n.generation,
  };
}

/** `cdw_std_email(raw)`: all NULL when there is no address. */
export function emailParts(raw: Arg): EmailParts {
  const e = standardiseEmail(raw);
  return e.email === null
    ? { norm: null, key: null, valid: null, is_free: null, is_role: null }
    : { norm: e.email, key: e.key, valid: e.valid, is_free: e.is_free_mail, is_role: e.is_role };
}

/** The region `phoneParts` reads national numbers in, for a `country` argument. */
function phoneRegion(country: Arg): CountryCode | null {
  const code = country?.trim().toUpperCase();
  return code !== undefined && isPhoneCountry(code) ? code : null;
}

/** `cdw_std_phone(raw, country)`: E.164 (NULL when invalid), line type, valid (NULL when no number). */
export function phoneParts(raw: Arg, country: Arg): PhoneParts {
  if (raw == null || raw.trim() === '') return { e164: null, type: null, valid: null };
  const p = standardisePhone(raw, phoneRegion(country));
  return { e164: p.e164, type: p.type, valid: p.valid };
}

/**
 * The region a party's phones are read in (national numbers), from the inputs that decide it,
 * as `partyStdParts` composes them: the phone country, else the address's country, else the
 * source's default country.
 */
export function partyPhoneRegion(country: Arg, defaultCountry: Arg, phoneCountry: Arg): Arg {
  return phoneRegion(
    countryCode(phoneCountry) ?? addressCountry(country, defaultCountry) ?? defaultCountry,
  );
}

/** `cdw_std_address(address, postcode, city, country, default_country)`. */
export function addressParts(
  address: Arg,
  postcode: Arg,
  city: Arg,
  country: Arg,
  defaultCountry: Arg,
): AddressParts {
  const a = standardiseAddress({ address, postcode, city, country }, defaultCountry);
  return { line: a.line, postcode: a.postcode, city: a.city, country_code: a.country, key: a.key };
}

/** The inputs of one party's standardisation, in this order (see `PARTY_STD_INPUTS`). */
export type PartyStdInput = readonly Arg[];

/** Columns of a party's inputs, in the order `partyStdParts` takes them. */
export const PARTY_STD_INPUTS = [
  'full_name',
  'title',
  'first_name',
  'middle_name',
  'last_name',
  'email',
  'phone',
  'mobile',
  'address',
  'postcode',
  'city',
  'country',
  'default_country',
  'phone_country',
] as const;

export interface PartyStdParts {
  addr: AddressParts;
  /** null: standardised in SQL instead (see `SQL_EMAIL`…) */
  name: NameParts | null;
  email: EmailParts | null;
  phone: PhoneParts | null;
  mobile: PhoneParts | null;
}

/** Bits of `partyStdParts`' `sqlDone`: parts SQL standardised already, so not computed here. */
export const SQL_EMAIL = 1;
export const SQL_PHONE = 2;
export const SQL_MOBILE = 4;
export const SQL_NAME = 8;

/**
 * Every standardised part of one party, exactly as `party-std.sql` composes the `cdw_std_*`
 * functions: the name's locale and the phones' default country come from the standardised
 * address (`coalesce(cdw_country_code(phone_country), _addr.country_code, default_country)`).
 * The parts `sqlDone` names are left null (party-std-fill.ts has them from SQL).
 */
export function partyStdParts(i: PartyStdInput, sqlDone = 0): PartyStdParts {
  const [full_name, title, first, middle, last, email, phone, mobile] = i;
  const [address, postcode, city, country, defaultCountry, phoneCountry] = i.slice(8);
  const arg = (v: Arg | undefined): Arg => v ?? null;
  const addr = addressParts(
    arg(address),
    arg(postcode),
    arg(city),
    arg(country),
    arg(defaultCountry),
  );
  const nameCountry = addr.country_code ?? arg(defaultCountry);
  const phoneDefault = countryCode(arg(phoneCountry)) ?? addr.country_code ?? arg(defaultCountry);
  return {
    addr,
    name:
      sqlDone & SQL_NAME
        ? null
        : nameParts(arg(full_name), arg(title), arg(first), arg(middle), arg(last), nameCountry),
    email: sqlDone & SQL_EMAIL ? null : emailParts(arg(email)),
    phone: sqlDone & SQL_PHONE ? null : phoneParts(arg(phone), phoneDefault),
    mobile: sqlDone & SQL_MOBILE ? null : phoneParts(arg(mobile), phoneDefault),
  };
}
