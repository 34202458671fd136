import { Rng, STREAM } from '../rng.ts';
import { nightDay, ruDate } from '../calendar.ts';
import { formatPhone, type PhoneStyle } from '../phones.ts';
import { emailTypo, typo } from '../typos.ts';
import type { Person } from '../model.ts';
import { nickname } from '../render.ts';
import type { Cell } from '../sinks/table-spec.ts';
import type { Tally } from '../tally.ts';
import type { NoiseModel } from '../noise.ts';
import { roughenCard } from '../harsh/card.ts';

export const CARD_COLUMNS = ['card_no', 'holder_name', 'phone', 'email', 'birth_date', 'issued_on', 'chain', 'status'] as const;

export interface CardPlan {
  readonly no: string;
  readonly slot: number;
  readonly createdNight: number;
  readonly holder: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly birthMissing: boolean;
  /** The birth date the card holds when it is not the person's (harsh noise: a slip or a placeholder). */
  readonly birthDay?: number;
  readonly issuedDay: number;
}

/** Luhn check digit, so card numbers look like the real thing. */
function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function cardNo(p: Person, slot: number): string {
  const body = `2${String(p.index * 2 + slot + 1).padStart(11, '0')}`;
  return body + luhn(body);
}

/**
 * Loyalty card `slot` of a person (slot 1 replaced a lost card). Holder names as the tills
 * took them: Russians surname first, often with patronymic; Americans often in capitals.
 * Cards are never updated: a marriage leaves the old name on the card.
 */
/** How the till wrote the holder: Russians surname first with or without patronymic, Americans often in capitals. */
export type HolderStyle = 'fio' | 'fi' | 'if' | 'upper' | 'plain' | 'swapped';

export function holderName(p: Person, style: HolderStyle, first: string, last: string): string {
  if (p.market === 'RU') return style === 'fio' && p.middle ? `${last} ${first} ${p.middle}` : style === 'if' ? `${first} ${last}` : `${last} ${first}`;
  return style === 'upper' ? `${first} ${last}`.toUpperCase() : style === 'swapped' ? `${last} ${first}` : `${first} ${last}`;
}

export function planCard(seed: number, p: Person, slot: number, tally: Tally | undefined, noise: NoiseModel = 'standard'): CardPlan {
  const rng = Rng.of(seed, STREAM.pos, p.index, slot);
  const count = (k: string) => tally?.add(`pos.${k}`);
  const anchor = nightDay(1);
  const createdNight = p.member.posNight;
  let first = p.first;
  if (p.role === undefined && rng.chance(0.05)) {
    first = nickname(rng, p) ?? first;
    if (first !== p.first) count('nickname');
  }
  let last = p.maidenName !== undefined && rng.chance(0.6) ? p.maidenName : p.last;
  if (last !== p.last) count('maiden_name');
  if (rng.chance(0.02)) {
    last = typo(rng, last);
    count('typo_name');
  }
  const style =
    p.market === 'RU' ? rng.weighted<HolderStyle>([['fio', 55], ['fi', 30], ['if', 15]]) : rng.weighted<HolderStyle>([['upper', 40], ['plain', 50], ['swapped', 10]]);
  const holder = holderName(p, style, first, last);
  if (p.market === 'RU' && style !== 'if') count('surname_first');
  if (style === 'swapped') count('swapped_names');
  const landline = p.household.landline !== undefined && rng.chance(0.1);
  const phoneDigits = rng.chance(0.05) ? null : landline ? p.household.landline! : p.mobile;
  const phoneStyle: PhoneStyle = phoneDigits !== null && p.market === 'RU' && rng.chance(0.4) ? 'dotted' : 'dashed';
  const phone = phoneDigits === null ? null : formatPhone(phoneDigits, phoneStyle);
  const emailMode = rng.weighted<string>([['same', 43], ['typo', 2], ['missing', 55]]);
  const birthMissing = rng.chance(0.2);
  const issuedDay = createdNight === 1 ? Math.min(anchor - 1, p.since + rng.int(0, 600) + slot * rng.int(30, 300)) : nightDay(createdNight);
  if (tally) {
    if (slot === 1) count('second_card');
    if (phone === null) count('missing_phone');
    if (emailMode === 'typo') count('typo_email');
    if (birthMissing) count('missing_birth_date');
  }
  const plan: CardPlan = {
    no: cardNo(p, slot),
    slot,
    createdNight,
    holder,
    phone,
    email: emailMode === 'same' ? p.email : emailMode === 'typo' ? emailTypo(rng, p.email) : null,
    birthMissing,
    issuedDay,
  };
  return noise === 'harsh' ? roughenCard(rng, seed, p, plan, { first, last, style, phoneDigits, phoneStyle }, count) : plan;
}

export function cardRow(c: CardPlan, p: Person, night: number, badBirthDate: boolean): Cell[] {
  const replaced = c.slot === 0 && p.member.pos > 1;
  const status = night >= p.deceasedNight ? 'blocked' : replaced ? 'replaced' : 'active';
  const birth = badBirthDate ? `30.02.${ruDate(p.birthDay).slice(6)}` : c.birthMissing ? null : ruDate(c.birthDay ?? p.birthDay);
  return [c.no, c.holder, c.phone, c.email, birth, ruDate(c.issuedDay), p.market, status];
}
