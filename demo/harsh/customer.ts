import type { Rng } from '../rng.ts';
import { isoDate } from '../calendar.ts';
import { formatPhone } from '../phones.ts';
import type { Person } from '../model.ts';
import type { CustomerPlan } from '../systems/erp-customers.ts';
import { roughEmail, roughPhone, type ContactOdds } from './contact.ts';
import { PLACEHOLDER_DAYS, roughBirth } from './dates.ts';
import { firstLetterTypo, homoglyph, initialOf, writtenSuffix } from './names.ts';
import { phoneCountry, writtenPhone } from './phones.ts';

const CONTACT: ContactOdds = { sharedEmail: 0.6, foreignMobile: 0.7, switchboard: 0.3, oldPhone: 0.03, phoneTypo: 0.01 };

/**
 * An ERP customer under harsh noise, drawn from the customer's own rng after every standard
 * draw: first-letter slips, "J"/"J." for the given name, a middle initial inside it, a Latin
 * look-alike letter in a Cyrillic name, names typed in lower case, the suffix in the family
 * name ("Perry Jr", "Иванов мл."), a shared mailbox, the employer's switchboard (B2B orders),
 * an old number, a foreign mobile written with or without its country code, and birth dates a
 * day off, day/month swapped or the 1970-01-01 placeholder.
 */
export function roughenCustomer(rng: Rng, seed: number, p: Person, c: CustomerPlan, phoneDigits: string | null, count: (k: string) => void): CustomerPlan {
  if (p.role !== undefined) return c;
  let { first, last } = c;
  if (rng.chance(0.02)) {
    first = firstLetterTypo(rng, first);
    count('typo_first_letter');
  }
  if (rng.chance(0.015)) {
    last = firstLetterTypo(rng, last);
    count('typo_first_letter');
  }
  if (rng.chance(0.025)) {
    first = initialOf(first, rng.chance(0.5));
    count('initial_for_first_name');
  } else if (p.middle.length === 1 && rng.chance(0.1)) {
    first = `${first} ${p.middle}`;
    count('middle_initial_in_first_name');
  }
  if (p.market === 'US' && p.maidenName !== undefined && c.last === p.last && rng.chance(0.12)) {
    last = `${p.maidenName}-${last}`;
    count('double_barrelled_surname');
  }
  const suffix = writtenSuffix(rng, p, true, 0.5);
  if (suffix !== undefined) {
    last = `${last} ${suffix}`;
    count('generational_suffix_written');
  } else if (p.suffix !== undefined) count('generational_suffix_dropped');
  if (p.market === 'RU' && rng.chance(0.015)) {
    if (rng.chance(0.5)) first = homoglyph(rng, first);
    else last = homoglyph(rng, last);
    count('latin_look_alike_letter');
  }
  if (rng.chance(0.02)) {
    first = first.toLowerCase();
    last = last.toLowerCase();
    count('lower_case_name');
  }
  const email = roughEmail(rng, p, c.email, CONTACT, count);
  const digits = roughPhone(rng, seed, p, phoneDigits, CONTACT, count);
  let phone = c.phone;
  if (digits !== phoneDigits && digits !== null) {
    if (phoneCountry(digits) === p.market) phone = formatPhone(digits, 'national');
    else {
      const withCode = rng.chance(0.5);
      phone = writtenPhone(digits, withCode);
      if (!withCode) count('foreign_phone_without_country_code');
    }
  }
  const birth = roughBirth(rng, p.birthDay, c.birthDate === null, {
    oneDayOff: 0.01, dayMonthSwapped: 0.015, yearDigitsSwapped: 0.005, placeholder: 0.15, placeholderDay: PLACEHOLDER_DAYS.epoch,
  });
  if (birth.slip !== undefined) count(birth.slip);
  return { ...c, first, last, email, phone, birthDate: birth.day === undefined ? null : isoDate(birth.day) };
}
