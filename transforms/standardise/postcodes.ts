interface PostcodeRule {
  /** Tested against the upper-cased code with spaces and hyphens removed. */
  pattern: RegExp;
  format: (compact: string, match: RegExpExecArray) => string;
}

const whole = (compact: string): string => compact;

const RULES: Readonly<Record<string, PostcodeRule>> = {
  // ZIP or ZIP+4; households share the 5-digit ZIP, so +4 is dropped.
  US: { pattern: /^(\d{5})(?:\d{4})?$/, format: (_c, m) => m[1]! },
  RU: { pattern: /^\d{6}$/, format: whole },
  BY: { pattern: /^\d{6}$/, format: whole },
  KZ: { pattern: /^(?:\d{6}|[A-Z]\d{2}[A-Z]\d[A-Z]\d)$/, format: whole },
  UA: { pattern: /^\d{5}$/, format: whole },
  DE: { pattern: /^\d{5}$/, format: whole },
  FR: { pattern: /^\d{5}$/, format: whole },
  IT: { pattern: /^\d{5}$/, format: whole },
  ES: { pattern: /^\d{5}$/, format: whole },
  FI: { pattern: /^\d{5}$/, format: whole },
  PL: { pattern: /^(\d{2})(\d{3})$/, format: (_c, m) => `${m[1]}-${m[2]}` },
  NL: { pattern: /^(\d{4})([A-Z]{2})$/, format: (_c, m) => `${m[1]} ${m[2]}` },
  AT: { pattern: /^\d{4}$/, format: whole },
  CH: { pattern: /^\d{4}$/, format: whole },
  AU: { pattern: /^\d{4}$/, format: whole },
  CA: { pattern: /^([A-Z]\d[A-Z])(\d[A-Z]\d)$/, format: (_c, m) => `${m[1]} ${m[2]}` },
  GB: {
    pattern: /^([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2})$/,
    format: (_c, m) => `${m[1]} ${m[2]}`,
  },
};

const SEPARATORS = /[\s\-.]+/g;
const FOUR_DIGITS = /^\d{4}$/;
const SPACES = /\s+/g;

/** Whether cdw knows the postcode format of a country (ISO-2). */
export function hasPostcodeRule(country: string | null): boolean {
  return country !== null && RULES[country] !== undefined;
}

/**
 * Normalises a postcode for a country (ISO-2): US → 5-digit ZIP (ZIP+4
 * cut, and a 4-digit ZIP that lost its leading zero in a spreadsheet is
 * padded), RU/BY 6 digits, GB upper case with one space ("SW1A 1AA"),
 * DE/FR/IT/ES/UA 5 digits, NL "1234 AB", CA "K1A 0B1", PL "00-950".
 * Null when empty or not a valid code for that country. For countries
 * without a rule (or no country) the code is upper-cased with spaces
 * collapsed.
 */
export function standardisePostcode(
  raw: string | null | undefined,
  country: string | null,
): string | null {
  if (!raw) return null;
  const trimmed = raw.trim().toUpperCase();
  if (trimmed.length === 0) return null;
  const rule = country === null ? undefined : RULES[country];
  if (rule === undefined) return trimmed.replace(SPACES, ' ');
  let compact = trimmed.replace(SEPARATORS, '');
  if (country === 'US' && FOUR_DIGITS.test(compact)) compact = `0${compact}`;
  const match = rule.pattern.exec(compact);
  return match === null ? null : rule.format(compact, match);
}
