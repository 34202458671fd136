import { Rng, STREAM } from '../rng.ts';
import { isoDate, isoTs, nightDay } from '../calendar.ts';
import { cityName, postcode, randomAddress, streetLine } from '../addresses.ts';
import { formatPhone } from '../phones.ts';
import { typo, emailTypo } from '../typos.ts';
import { NEVER, type Address, type Person } from '../model.ts';
import { changedOn, eventNight, eventTime, lastUpdate, nickname } from '../render.ts';
import { tableSpec, type Cell } from '../sinks/table-spec.ts';
import type { Tally } from '../tally.ts';
import type { NoiseModel } from '../noise.ts';
import { roughenCustomer } from '../harsh/customer.ts';
import { accountId } from './billing-accounts.ts';

export const CUSTOMERS = tableSpec('erp', 'customers', 'customer_no', [
  'customer_no', 'first_name', 'last_name', 'company', 'email', 'phone', 'address', 'city', 'zip', 'country', 'birth_date:date',
  'billing_account_ref', 'web_user_id', 'created_at:ts', 'updated_at:ts',
]);

export interface CustomerPlan {
  readonly no: string;
  readonly slot: number;
  readonly createdNight: number;
  readonly createdDay: number;
  readonly createdAt: number;
  readonly touchedAt: number;
  readonly first: string;
  readonly last: string;
  readonly swapped: boolean;
  readonly company: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly street: string | undefined;
  /** An address the person left before the first night, never corrected here. */
  readonly staleAddress: Address | undefined;
  readonly country: string;
  readonly birthDate: string | null;
  readonly billingRef: string | null;
  readonly webUserId: string | null;
  /** Nights the ERP learns of the move and the marriage (late, or never). */
  readonly moveNight: number;
  readonly marryNight: number;
  readonly events: readonly (readonly [number, number])[];
}

export function customerNo(p: Person, slot: number): string {
  return `C${String(p.index * 2 + slot + 1).padStart(7, '0')}`;
}

export function webUserId(p: Person): string {
  return `u${p.index + 10_017}`;
}

/** Plans ERP customer `slot` of a person: Cyrillic names, national phone format, abbreviated streets. */
export function planCustomer(seed: number, p: Person, slot: number, tally: Tally | undefined, noise: NoiseModel = 'standard'): CustomerPlan {
  const rng = Rng.of(seed, STREAM.erp, p.index, slot);
  const count = (k: string) => tally?.add(`erp.${k}`);
  const anchor = nightDay(1);
  const createdNight = p.member.erpNight;
  const createdDay = createdNight === 1 ? Math.min(anchor - 1, p.since + (slot === 0 ? rng.int(0, 400) : rng.int(100, 1200))) : nightDay(createdNight);
  const createdAt = createdDay * 86_400 + rng.int(8 * 3600, 20 * 3600);
  let first = p.first;
  const nick = p.role === 'nickname' || rng.chance(slot === 1 ? 0.3 : 0.1) ? nickname(rng, p) : undefined;
  if (nick !== undefined) {
    first = nick;
    count('nickname');
  }
  if (rng.chance(0.02)) {
    first = typo(rng, first);
    count('typo_name');
  }
  let last = p.maidenName !== undefined && rng.chance(0.5) ? p.maidenName : p.last;
  if (last !== p.last) count('maiden_name');
  if (rng.chance(slot === 1 ? 0.2 : 0.02)) {
    last = typo(rng, last);
    count('typo_name');
  }
  const swapped = p.role === 'swap' || (p.role === undefined && rng.chance(0.015));
  const company = p.companyName !== undefined && rng.chance(0.5) ? p.companyName : null;
  const emailMode = rng.weighted<string>([['same', 82], ['typo', 2], ['missing', 16]]);
  const landline = p.household.landline !== undefined && rng.chance(0.2);
  const phoneDigits = rng.chance(0.1) ? null : landline ? p.household.landline! : p.mobile;
  const phone = phoneDigits === null ? null : formatPhone(phoneDigits, 'national');
  const street = rng.chance(0.02) ? typo(rng, p.household.address.street) : undefined;
  const staleAddress = rng.chance(0.04) ? randomAddress(rng, p.market, p.household.address) : undefined;
  const country = rng.weighted<string>(p.market === 'US' ? [['USA', 60], ['United States', 25], ['US', 15]] : [['Russia', 60], ['Россия', 25], ['RU', 15]]);
  const birthDate = rng.chance(0.5) ? isoDate(p.birthDay) : null;
  const billingRef = slot === 0 && p.member.billing > 0 && p.member.billingNight <= createdNight && rng.chance(0.35) ? String(accountId(p, 0)) : null;
  const moveNight = slot === 0 ? (p.role === 'mover' ? p.household.moveNight + 1 : eventNight(rng, p.household.moveNight, [0.2, 0.4, 0.4])) : NEVER;
  const marryNight = slot === 0 ? (p.role === 'marriage' ? p.marryNight + 1 : eventNight(rng, p.marryNight, [0.2, 0.5, 0.3])) : NEVER;
  const touchedAt = createdNight === 1 ? createdAt + rng.int(0, Math.max(0, anchor - 1 - createdDay)) * 86_400 : createdAt;
  const events: [number, number][] = [];
  if (moveNight !== NEVER) events.push([moveNight, eventTime(seed, p, moveNight, 11)]);
  if (marryNight !== NEVER) events.push([marryNight, eventTime(seed, p, marryNight, 12)]);
  if (tally) {
    if (slot === 1) count('duplicate_customer');
    if (swapped) count('swapped_names');
    if (emailMode === 'typo') count('typo_email');
    if (emailMode === 'missing') count('missing_email');
    if (phone === null) count('missing_phone');
    if (street !== undefined) count('typo_street');
    if (staleAddress !== undefined) count('stale_address');
    if (birthDate === null) count('missing_birth_date');
    if (p.market === 'RU') count('cyrillic_name');
  }
  const plan: CustomerPlan = {
    no: customerNo(p, slot), slot, createdNight, createdDay, createdAt, touchedAt, first, last, swapped, company,
    email: emailMode === 'same' ? p.email : emailMode === 'typo' ? emailTypo(rng, p.email) : null,
    phone, street, staleAddress, country, birthDate, billingRef,
    webUserId: slot === 0 && p.member.webUser ? webUserId(p) : null,
    moveNight, marryNight, events,
  };
  return noise === 'harsh' ? roughenCustomer(rng, seed, p, plan, phoneDigits, count) : plan;
}

export function customerDue(c: CustomerPlan, night: number): boolean {
  return c.createdNight === night || changedOn(c.createdNight, night, c.events);
}

export function customerRow(c: CustomerPlan, p: Person, night: number): Cell[] {
  let first = c.first;
  let last = night >= c.marryNight && p.marriedName !== undefined ? p.marriedName : c.last;
  if (c.swapped) [first, last] = [last, first];
  const h = p.household;
  const addr = night >= c.moveNight && h.newAddress !== undefined ? h.newAddress : (c.staleAddress ?? h.address);
  const street = streetLine(addr, 'abbrev', addr === h.address && c.street !== undefined ? c.street : addr.street);
  return [
    c.no, first, last, c.company, c.email, c.phone, street, cityName(addr),
    postcode(addr), c.country, c.birthDate, c.billingRef, c.webUserId, isoTs(c.createdAt),
    isoTs(lastUpdate(c.touchedAt, c.createdNight, night, c.events)),
  ];
}
