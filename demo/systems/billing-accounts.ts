import { Rng, STREAM, seedOf } from '../rng.ts';
import { isoDate, isoTs, nightDay } from '../calendar.ts';
import { cityName, postcode, streetLine } from '../addresses.ts';
import { typo, emailTypo } from '../typos.ts';
import { addressOn, NEVER, surnameOn, type Person } from '../model.ts';
import { SUBSCRIPTIONS } from '../data/products.ts';
import { changedOn, eventTime, lastUpdate, latinGiven, latinText, nickname, pickLatinStyle, type LatinStyle } from '../render.ts';
import { tableSpec, type Cell } from '../sinks/table-spec.ts';
import type { Tally } from '../tally.ts';
import type { NoiseModel } from '../noise.ts';
import { roughenAccount } from '../harsh/account.ts';

export const ACCOUNTS = tableSpec('billing', 'accounts', 'account_id', [
  'account_id:int', 'title', 'first_name', 'last_name', 'name', 'email', 'phone', 'address', 'postcode', 'city', 'country',
  'birth_date:date', 'status', 'consent_email:bool', 'consent_sms:bool', 'consent_phone:bool', 'created_at:ts', 'updated_at:ts',
]);

/** One billing account of a person: every choice about how it is written, fixed at creation. */
export interface AccountPlan {
  readonly id: number;
  readonly slot: number;
  readonly createdNight: number;
  readonly createdDay: number;
  readonly createdAt: number;
  /** Last change before the first night (historic accounts). */
  readonly touchedAt: number;
  readonly style: LatinStyle;
  readonly first: string;
  readonly last: string;
  readonly swapped: boolean;
  /** 0: first/last; 1: name only as "LAST, First"; 2: name only as "First Last". */
  readonly nameOnly: 0 | 1 | 2;
  readonly title: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly street: string | undefined;
  readonly addressMissing: boolean;
  readonly birthMissing: boolean;
  /** The birth date the account holds when it is not the person's (harsh noise: a slip or a placeholder). */
  readonly birthDay?: number;
  readonly consent: readonly [boolean, boolean, boolean];
  readonly historicStatus: 'active' | 'closed' | 'deceased' | 'suspended';
  /** Day after which no invoices are issued (closed before the first night), or NEVER. */
  readonly closedDay: number;
  readonly products: readonly number[];
  readonly prices: readonly number[];
  readonly billingDay: number;
  /** Life events that change this account: [night, time]. */
  readonly events: readonly (readonly [number, number])[];
}

export function accountId(p: Person, slot: number): number {
  return 100_000 + p.index * 2 + slot;
}

/** Plans account `slot` of a person (slot 1 is a duplicate the person opened later). */
export function planAccount(seed: number, p: Person, slot: number, tally: Tally | undefined, noise: NoiseModel = 'standard'): AccountPlan {
  const rng = Rng.of(seed, STREAM.billing, p.index, slot);
  const count = (k: string) => tally?.add(`billing.${k}`);
  const id = accountId(p, slot);
  const anchor = nightDay(1);
  const createdNight = p.member.billingNight;
  const createdDay = createdNight === 1 ? Math.min(anchor - 1, p.since + (slot === 0 ? rng.int(0, 20) : rng.int(30, 900))) : nightDay(createdNight);
  const createdAt = createdDay * 86_400 + rng.int(8 * 3600, 20 * 3600);
  const style = pickLatinStyle(rng);
  let first = latinGiven(p, style);
  let last = latinText(p, p.maidenName !== undefined && rng.chance(0.15) ? p.maidenName : p.last, style);
  if (p.role === undefined && rng.chance(0.03)) {
    const n = nickname(rng, p);
    if (n !== undefined) {
      first = latinText(p, n, style);
      count('nickname');
    }
  }
  if (rng.chance(slot === 1 ? 0.25 : 0.015)) {
    first = typo(rng, first);
    count('typo_name');
  }
  if (rng.chance(0.015)) {
    last = typo(rng, last);
    count('typo_name');
  }
  const swapped = p.role === undefined && rng.chance(0.005);
  const nameOnly = p.role === undefined && rng.chance(0.08) ? (rng.chance(0.5) ? 1 : 2) : 0;
  const title = rng.chance(0.6) ? (p.gender === 'M' ? rng.pick(['Mr', 'Mr', 'Mr', 'Dr']) : rng.pick(['Mrs', 'Ms', 'Ms', 'Miss'])) : null;
  const emailMode = rng.weighted<string>(slot === 1 ? [['same', 30], ['typo', 40], ['missing', 30]] : [['same', 905], ['typo', 15], ['missing', 80]]);
  const email = emailMode === 'same' ? p.email : emailMode === 'typo' ? emailTypo(rng, p.email) : null;
  const landline = p.household.landline !== undefined && rng.chance(0.25);
  const phone = rng.chance(0.05) ? null : `+${landline ? p.household.landline : p.mobile}`;
  const streetTypo = rng.chance(0.02);
  const street = streetTypo ? typo(rng, latinText(p, p.household.address.street, style)) : undefined;
  const addressMissing = rng.chance(0.02);
  const birthMissing = rng.chance(slot === 1 ? 0.5 : 0.1);
  const consent = [rng.chance(0.55), rng.chance(0.35), rng.chance(0.25)] as const;
  const age = (anchor - p.birthDay) / 365.25;
  const historicStatus =
    slot === 1 ? (rng.chance(0.5) ? 'closed' : 'active') : age > 80 && rng.chance(0.02) ? 'deceased' : rng.chance(0.01) ? 'suspended' : 'active';
  const closedDay = historicStatus === 'closed' || historicStatus === 'deceased' ? Math.min(anchor - 1, createdDay + rng.int(30, 400)) : NEVER;
  const products = slot === 0 ? p.products : [rng.int(0, SUBSCRIPTIONS.length - 1)];
  const prices = products.map((j) => {
    const s = SUBSCRIPTIONS[j]!;
    const [lo, hi] = p.market === 'US' ? s.usd : s.rub;
    const x = lo + rng.next() * (hi - lo);
    return p.market === 'US' ? Math.floor(x) + 0.99 : Math.round(x / 10) * 10;
  });
  const touchedAt = createdNight === 1 ? createdAt + rng.int(0, Math.max(0, anchor - 1 - createdDay)) * 86_400 : createdAt;
  const events: [number, number][] = [];
  if (slot === 0) {
    const add = (night: number, kind: number) => {
      if (night !== NEVER) events.push([night, eventTime(seed, p, night, kind)]);
    };
    add(p.household.moveNight, 1);
    add(p.marryNight, 2);
    add(p.closeNight, 3);
    add(p.deceasedNight, 4);
    add(p.optOutNight, 5);
  }
  if (tally) {
    if (slot === 1) count('duplicate_account');
    if (swapped) count('swapped_names');
    if (nameOnly) count('name_in_one_field');
    if (emailMode === 'typo') count('typo_email');
    if (email === null) count('missing_email');
    if (phone === null) count('missing_phone');
    if (streetTypo) count('typo_street');
    if (birthMissing) count('missing_birth_date');
    if (p.market === 'RU') count(`latin_${style}`);
  }
  const plan: AccountPlan = {
    id, slot, createdNight, createdDay, createdAt, touchedAt, style, first, last, swapped, nameOnly, title, email, phone, street,
    addressMissing, birthMissing, consent, historicStatus, closedDay, products, prices, billingDay: 1 + (seedOf(seed, STREAM.invoice, id) % 28), events,
  };
  return noise === 'harsh' ? roughenAccount(rng, seed, p, plan, count) : plan;
}

/** Status of the account on a night. */
export function accountStatus(a: AccountPlan, p: Person, night: number): string {
  if (a.slot === 0 && night >= p.deceasedNight) return 'deceased';
  if (a.slot === 0 && night >= p.closeNight) return 'closed';
  return a.historicStatus;
}

/** Whether the account's row must be written tonight (created or changed). */
export function accountDue(a: AccountPlan, night: number): boolean {
  return a.createdNight === night || changedOn(a.createdNight, night, a.events);
}

/** The account's row as of a night. */
export function accountRow(a: AccountPlan, p: Person, night: number, badBirthDate: boolean): Cell[] {
  const married = night >= p.marryNight;
  let first = a.first;
  let last = married ? latinText(p, surnameOn(p, night), a.style) : a.last;
  if (a.swapped) [first, last] = [last, first];
  const name = a.nameOnly === 1 ? `${last.toUpperCase()}, ${first}` : a.nameOnly === 2 ? `${first} ${last}` : null;
  const addr = addressOn(p, night);
  const moved = addr !== p.household.address;
  const street = a.addressMissing ? null : streetLine(addr, addr.market === 'US' ? 'full' : 'latin', moved || a.street === undefined ? addr.street : a.street);
  const optedOut = a.slot === 0 && night >= p.optOutNight;
  return [
    a.id, a.title, a.nameOnly ? null : first, a.nameOnly ? null : last, name, a.email, a.phone, street,
    a.addressMissing ? null : postcode(addr), cityName(addr, true), p.market,
    badBirthDate ? `${isoDate(p.birthDay).slice(0, 4)}-02-30` : a.birthMissing ? null : isoDate(a.birthDay ?? p.birthDay),
    accountStatus(a, p, night),
    optedOut ? false : a.consent[0], optedOut ? false : a.consent[1], optedOut ? false : a.consent[2],
    isoTs(a.createdAt), isoTs(lastUpdate(a.touchedAt, a.createdNight, night, a.events)),
  ];
}
