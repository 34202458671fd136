import type { Rng } from '../rng.ts';
import type { Person } from '../model.ts';
import type { AccountPlan } from '../systems/billing-accounts.ts';
import { roughEmail, roughPhone, type ContactOdds } from './contact.ts';
import { PLACEHOLDER_DAYS, roughBirth } from './dates.ts';
import { firstLetterTypo, initialOf, writtenSuffix } from './names.ts';

const CONTACT: ContactOdds = { sharedEmail: 0.6, foreignMobile: 0.7, switchboard: 0.15, oldPhone: 0, phoneTypo: 0.01 };

/**
 * A billing account under harsh noise, drawn from the account's own rng after every standard
 * draw: first-letter slips, an initial for the given name ("J. Perry", "PERRY, J."), a middle
 * initial inside the first name, a double-barrelled surname, the suffix in the family name
 * ("Perry Jr."), a shared mailbox, switchboard and foreign phones (always E.164 here), and
 * birth dates a day off, day/month swapped or a 1900-01-01 placeholder.
 */
export function roughenAccount(rng: Rng, seed: number, p: Person, a: AccountPlan, count: (k: string) => void): AccountPlan {
  if (p.role !== undefined) return a;
  let { first, last } = a;
  if (rng.chance(0.02)) {
    first = firstLetterTypo(rng, first);
    count('typo_first_letter');
  }
  if (rng.chance(0.015)) {
    last = firstLetterTypo(rng, last);
    count('typo_first_letter');
  }
  if (rng.chance(0.04)) {
    first = initialOf(first);
    count('initial_for_first_name');
  } else if (p.middle.length === 1 && rng.chance(0.15)) {
    first = `${first} ${p.middle}.`;
    count('middle_initial_in_first_name');
  }
  if (p.market === 'US' && p.maidenName !== undefined && a.last === p.last && rng.chance(0.12)) {
    last = `${p.maidenName}-${last}`;
    count('double_barrelled_surname');
  }
  const suffix = writtenSuffix(rng, p, false, 0.5);
  if (suffix !== undefined) {
    last = `${last} ${suffix}`;
    count('generational_suffix_written');
  } else if (p.suffix !== undefined) count('generational_suffix_dropped');
  const email = roughEmail(rng, p, a.email, CONTACT, count);
  const digits = roughPhone(rng, seed, p, a.phone === null ? null : a.phone.slice(1), CONTACT, count);
  const birth = roughBirth(rng, p.birthDay, a.birthMissing, {
    oneDayOff: 0.01, dayMonthSwapped: 0.005, yearDigitsSwapped: 0.004, placeholder: 0.2, placeholderDay: PLACEHOLDER_DAYS.century,
  });
  if (birth.slip !== undefined) count(birth.slip);
  return { ...a, first, last, email, phone: digits === null ? null : `+${digits}`, birthMissing: birth.day === undefined, birthDay: birth.day };
}
