import type { Rng } from '../rng.ts';
import { formatPhone, type PhoneStyle } from '../phones.ts';
import type { Person } from '../model.ts';
import { holderName, type CardPlan, type HolderStyle } from '../systems/pos-cards.ts';
import { PLACEHOLDER_EMAILS, roughEmail, roughPhone, type ContactOdds } from './contact.ts';
import { PLACEHOLDER_DAYS, roughBirth } from './dates.ts';
import { firstLetterTypo, initialOf, writtenSuffix } from './names.ts';
import { phoneCountry, storePhone, writtenPhone } from './phones.ts';

const CONTACT: ContactOdds = { sharedEmail: 0.6, foreignMobile: 0.7, switchboard: 0.03, oldPhone: 0, phoneTypo: 0.01 };

/** What the standard card plan chose before the holder name and phone were written out. */
export interface CardParts {
  readonly first: string;
  readonly last: string;
  readonly style: HolderStyle;
  readonly phoneDigits: string | null;
  readonly phoneStyle: PhoneStyle;
}

/** PERRY J, Perry, J., J. Perry; Иванов И.И., Иванов И. И., Иванов И., И.И. Иванов */
function initialsHolder(rng: Rng, p: Person, first: string, last: string): string {
  const f = initialOf(first);
  if (p.market === 'US') {
    return rng.weighted<string>([[`${last} ${initialOf(first, false)}`.toUpperCase(), 60], [`${last}, ${f}`, 20], [`${f} ${last}`, 20]]);
  }
  const m = p.middle === '' ? '' : initialOf(p.middle);
  return rng.weighted<string>([[`${last} ${f}${m}`, 45], [`${last} ${f}${m === '' ? '' : ` ${m}`}`, 20], [`${last} ${f}`, 20], [`${f}${m} ${last}`, 15]]);
}

/**
 * A loyalty card under harsh noise, drawn from the card's own rng after every standard draw:
 * first-letter slips, surname first with initials ("PEMFORD L", "Иванов И.И."), the suffix
 * after the name, a shared mailbox or a clerk's placeholder e-mail, the store's own phone for a
 * customer who gave none, foreign mobiles with or without their country code, an American
 * number without +1 in a file read as Russian, and birth dates a day off, day/month swapped or
 * the 01.01.1900 placeholder.
 */
export function roughenCard(rng: Rng, seed: number, p: Person, c: CardPlan, parts: CardParts, count: (k: string) => void): CardPlan {
  if (p.role !== undefined) return c;
  let { first, last } = parts;
  let holder = c.holder;
  if (rng.chance(0.02)) {
    if (rng.chance(0.5)) first = firstLetterTypo(rng, first);
    else last = firstLetterTypo(rng, last);
    holder = holderName(p, parts.style, first, last);
    count('typo_first_letter');
  }
  if (rng.chance(0.12)) {
    holder = initialsHolder(rng, p, first, last);
    count('surname_first_initials');
  }
  const suffix = writtenSuffix(rng, p, true, 0.4);
  if (suffix !== undefined) {
    holder = `${holder} ${holder === holder.toUpperCase() ? suffix.toUpperCase() : suffix}`;
    count('generational_suffix_written');
  } else if (p.suffix !== undefined) count('generational_suffix_dropped');
  let email = roughEmail(rng, p, c.email, CONTACT, count);
  if (email === null && rng.chance(0.06)) {
    email = rng.pick(PLACEHOLDER_EMAILS[p.market]);
    count('placeholder_email');
  }
  let digits = roughPhone(rng, seed, p, parts.phoneDigits, CONTACT, count);
  if (digits === null && rng.chance(0.25)) {
    digits = storePhone(seed, p.market, rng.int(0, 4));
    count('store_phone');
  }
  let phone: string | null = null;
  if (digits !== null) {
    if (phoneCountry(digits) !== p.market) {
      const withCode = rng.chance(0.5);
      phone = writtenPhone(digits, withCode);
      if (!withCode) count('foreign_phone_without_country_code');
    } else if (p.market === 'US' && rng.chance(0.15)) {
      phone = formatPhone(digits, 'national');
      count('phone_without_country_code');
    } else phone = formatPhone(digits, parts.phoneStyle);
  }
  const birth = roughBirth(rng, p.birthDay, c.birthMissing, {
    oneDayOff: 0.015, dayMonthSwapped: 0.02, yearDigitsSwapped: 0.005, placeholder: 0.2, placeholderDay: PLACEHOLDER_DAYS.century,
  });
  if (birth.slip !== undefined) count(birth.slip);
  return { ...c, holder, email, phone, birthMissing: birth.day === undefined, birthDay: birth.day };
}
