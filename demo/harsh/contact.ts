import type { Rng } from '../rng.ts';
import { ruMobile, usNumber } from '../phones.ts';
import type { Person } from '../model.ts';
import { switchboard, transposeDigits } from './phones.ts';

/** How often one system's record holds each harsh contact detail (chances per record). */
export interface ContactOdds {
  /** A partner's or family mailbox instead of the person's own, when the couple shares one. */
  readonly sharedEmail: number;
  /** The foreign mobile instead of the domestic one, when the person has both. */
  readonly foreignMobile: number;
  /** The employer's main line, for a person with an employer. */
  readonly switchboard: number;
  /** A number the person gave up long ago (nobody else's). */
  readonly oldPhone: number;
  /** Two neighbouring digits swapped. */
  readonly phoneTypo: number;
}

/** The e-mail a record holds under harsh noise: now and then the mailbox the person shares. */
export function roughEmail(rng: Rng, p: Person, email: string | null, odds: ContactOdds, count: (k: string) => void): string | null {
  if (email === null || p.sharedEmail === undefined || p.sharedEmail === p.email || !rng.chance(odds.sharedEmail)) return email;
  count('shared_mailbox');
  return p.sharedEmail;
}

/** The phone (E.164 digits) a record holds under harsh noise, from the one it would hold otherwise. */
export function roughPhone(rng: Rng, seed: number, p: Person, digits: string | null, odds: ContactOdds, count: (k: string) => void): string | null {
  if (digits === null) return null;
  let d = digits;
  if (p.companyName !== undefined && rng.chance(odds.switchboard)) {
    d = switchboard(seed, p.companyName, p.market);
    count('switchboard_phone');
  } else if (d === p.mobile && p.foreignMobile !== undefined && rng.chance(odds.foreignMobile)) {
    d = p.foreignMobile;
    count('foreign_mobile');
  } else if (rng.chance(odds.oldPhone)) {
    d = p.market === 'US' ? usNumber(rng, rng.pick(['646', '917', '347'])) : ruMobile(rng);
    count('old_phone');
  }
  if (rng.chance(odds.phoneTypo)) {
    d = transposeDigits(rng, d);
    count('typo_phone');
  }
  return d;
}

/** E-mails clerks type when the customer has none: the same for thousands of strangers. */
export const PLACEHOLDER_EMAILS = {
  US: ['none@none.com', 'noemail@noemail.com', 'no@email.com'],
  RU: ['net@mail.ru', 'noemail@mail.ru', 'no@no.ru'],
} as const;
