import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
} from 'libphonenumber-js/max';

export type PhoneType =
  'mobile' | 'fixed_line' | 'fixed_line_or_mobile' | 'toll_free' | 'voip' | 'unknown';

/**
 * A standardised phone number. Invalid numbers are kept and flagged:
 * `e164`, `type` and `country` are null, `valid` is false and `reason`
 * says why ('empty', 'contains letters', 'placeholder digits', 'too short',
 * 'too long', 'invalid country calling code', 'no country for national
 * number' (no default country given), 'not a phone number', 'invalid number'). An extension is never part of `e164`.
 */
export interface StandardPhone {
  e164: string | null;
  valid: boolean;
  type: PhoneType | null;
  country: string | null;
  reason: string | null;
}

// Extensions libphonenumber does not know (Russian "доб."/"вн."), plus the
// usual x/ext/#, cut before parsing so they cannot pass for digits.
const EXTENSION = /\s*(?:,|;)?\s*(?:ext\.?|extension|x|#|доб\.?|добавочный|вн\.?)\s*\d{1,7}\s*$/i;
const LETTER = /[a-zа-яё]/i;
const NON_DIGIT = /\D/g;
const INTERNATIONAL_00 = /^[\s(]*00[\s\-.)]*/;
const REPEATED_DIGIT = /^(\d)\1+$/;

/** libphonenumber's line types → ours (the rest are 'unknown'). */
export const TYPES: Readonly<Partial<Record<NumberType & string, PhoneType>>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  TOLL_FREE: 'toll_free',
  VOIP: 'voip',
};

const LENGTH_REASONS: Readonly<Record<string, string>> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'invalid number',
  INVALID_COUNTRY: 'invalid country calling code',
  NOT_A_NUMBER: 'not a phone number',
};

function invalid(reason: string): StandardPhone {
  return { e164: null, valid: false, type: null, country: null, reason };
}

/** Whether a string is a two-letter region libphonenumber knows ("RU", "US", "GB"). */
export function isPhoneCountry(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

/**
 * Parses, validates and formats a phone number to E.164 with libphonenumber's
 * full metadata, so the line type (mobile, fixed line, toll free…) is known.
 * National forms are read in `defaultCountry` (Russian trunk prefix 8,
 * US "(555) 123-4567"); "+" and "00" mark international numbers.
 */
export function standardisePhone(
  raw: string | null | undefined,
  defaultCountry?: CountryCode | null,
): StandardPhone {
  if (raw === null || raw === undefined) return invalid('empty');
  let text = raw.trim();
  if (text.length === 0) return invalid('empty');
  text = text.replace(EXTENSION, '');
  if (LETTER.test(text)) return invalid('contains letters');
  const digits = text.replace(NON_DIGIT, '');
  if (digits.length === 0) return invalid('not a phone number');
  if (REPEATED_DIGIT.test(digits)) return invalid('placeholder digits');
  if (digits.length > 17) return invalid('too long');
  if (INTERNATIONAL_00.test(text)) text = `+${text.replace(INTERNATIONAL_00, '')}`;
  const country = defaultCountry ?? undefined;
  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed !== undefined && REPEATED_DIGIT.test(parsed.nationalNumber))
    return invalid('placeholder digits');
  // With full metadata a number is valid exactly when it has a type, so
  // one getType() call replaces isValid() + getType() (half the regex work).
  const type = parsed?.getType();
  if (parsed === undefined || type === undefined) {
    const lengthProblem = validatePhoneNumberLength(text, country);
    if (lengthProblem === 'INVALID_COUNTRY' && !text.startsWith('+'))
      return invalid('no country for national number');
    return invalid(
      lengthProblem === undefined
        ? 'invalid number'
        : (LENGTH_REASONS[lengthProblem] ?? 'invalid number'),
    );
  }
  return {
    e164: parsed.number,
    valid: true,
    type: TYPES[type] ?? 'unknown',
    country: parsed.country ?? null,
    reason: null,
  };
}
