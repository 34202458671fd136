import { Rng, STREAM } from './rng.ts';
import { EN_FEMALE, EN_MALE, EN_MIDDLE_INITIALS, EN_SURNAMES, type GivenName } from './data/names-en.ts';
import { RU_FEMALE, RU_MALE, RU_SURNAMES, feminineSurname, type RuGivenName } from './data/names-ru.ts';
import { RU_FREE_MAIL, US_FREE_MAIL, randomCompany } from './data/companies.ts';
import { SUBSCRIPTIONS } from './data/products.ts';
import { ruMobile, usNumber } from './phones.ts';
import { translit } from './translit.ts';
import { NEVER, type Household, type Market, type Membership, type Person } from './model.ts';

/** Nights over which random life events (moves, marriages, closures) are spread. */
export const EVENT_HORIZON = 60;

export interface PersonDraft {
  gender: 'M' | 'F';
  given: GivenName | RuGivenName;
  last: string;
  middle: string;
  maidenName: string | undefined;
  age: number;
  role?: string;
}

/** Picks a given name of a market and gender. */
export function givenName(rng: Rng, market: Market, gender: 'M' | 'F'): GivenName | RuGivenName {
  return rng.pick(market === 'US' ? (gender === 'M' ? EN_MALE : EN_FEMALE) : gender === 'M' ? RU_MALE : RU_FEMALE);
}

/** A family name in the form for the gender (Иванов / Иванова). */
export function familyName(rng: Rng, market: Market, gender: 'M' | 'F'): string {
  if (market === 'US') return rng.pick(EN_SURNAMES);
  const s = rng.pick(RU_SURNAMES);
  return gender === 'F' ? feminineSurname(s) : s;
}

/** Patronymic from a father's given name (Russians) or a middle initial (some Americans). */
export function middleName(rng: Rng, market: Market, gender: 'M' | 'F', father?: RuGivenName): string {
  if (market === 'US') return rng.chance(0.3) ? rng.pick([...EN_MIDDLE_INITIALS]) : '';
  const f = father ?? (rng.pick(RU_MALE) as RuGivenName);
  return f.patronymic.length === 2 ? f.patronymic[gender === 'M' ? 0 : 1] : '';
}

/** Latin key of a name for e-mail addresses (Юлия → yuliya, O'Brien → obrien). */
export function emailWord(s: string): string {
  return translit(s).toLowerCase().replace(/[^a-z]/g, '');
}

/** A free-mail address of a person (unique per person index: namesakes never share one). */
export function freeMail(rng: Rng, market: Market, first: string, last: string, index: number, birthYear: number): string {
  const f = emailWord(first);
  const l = emailWord(last);
  const n = index + 17; // unique per person, so two namesakes never share an address by accident
  const local = rng.weighted<string>([
    [`${f}.${l}${n}`, 30], [`${f}${l}${n}`, 15], [`${f[0]}${l}${n}`, 20], [`${f}_${l}_${n}`, 10],
    [`${l}.${f}${n}`, 10], [`${f}${String(birthYear).slice(2)}.${n}`, 15],
  ]);
  return `${local}@${rng.weighted(market === 'US' ? US_FREE_MAIL : RU_FREE_MAIL)}`;
}

function membership(rng: Rng, market: Market, createdNight: number): Membership {
  const billing = rng.chance(0.72) ? (rng.chance(0.03) ? 2 : 1) : 0;
  const erp = rng.chance(0.38) ? (rng.chance(0.04) ? 2 : 1) : 0;
  const pos = rng.chance(market === 'RU' ? 0.5 : 0.35) ? (rng.chance(0.03) ? 2 : 1) : 0;
  const m: Membership = {
    billing: billing === 0 && erp === 0 && pos === 0 ? 1 : billing,
    erp,
    pos,
    webUser: false,
    billingNight: createdNight,
    erpNight: createdNight,
    posNight: createdNight,
  };
  m.webUser = m.erp > 0 && rng.chance(0.55);
  // Some customers start using another part of the company during the demo.
  if (createdNight === 1 && rng.chance(0.04)) {
    const night = rng.int(2, EVENT_HORIZON + 1);
    if (m.erp === 0) {
      m.erp = 1;
      m.erpNight = night;
      m.webUser = rng.chance(0.6);
    } else if (m.pos === 0) {
      m.pos = 1;
      m.posNight = night;
    } else if (m.billing === 0) {
      m.billing = 1;
      m.billingNight = night;
    }
  }
  return m;
}

function products(rng: Rng): number[] {
  const out: number[] = [];
  const odds = [0.35, 0.25, 0.6, 0.4];
  SUBSCRIPTIONS.forEach((_, i) => {
    if (rng.chance(odds[i] ?? 0.3)) out.push(i);
  });
  if (out.length === 0) out.push(rng.pick([2, 3]));
  return out;
}

/** Completes a drafted person with contact details, memberships and life events. */
export function makePerson(rng: Rng, seed: number, h: Household, size: number, index: number, d: PersonDraft, anchorDay: number): Person {
  const market = h.market;
  const birthDay = anchorDay - Math.floor(d.age * 365.25) - rng.int(0, 364);
  const birthYear = 1970 + Math.floor(birthDay / 365.25);
  const first = d.given.name;
  const employer = rng.chance(0.18) ? randomCompany(rng, market) : undefined;
  const email =
    employer && rng.chance(0.4)
      ? `${emailWord(first)}.${emailWord(d.last)}${index + 17}@${employer.domain}`
      : freeMail(rng, market, first, d.last, index, birthYear);
  const single = size === 1 && d.gender === 'F' && d.age >= 22 && d.age <= 45;
  const marryNight = single && rng.chance(0.08) ? rng.int(2, EVENT_HORIZON + 1) : NEVER;
  const member = membership(rng, market, h.createdNight);
  return {
    index,
    id: `P${String(index + 1).padStart(7, '0')}`,
    household: h,
    market,
    gender: d.gender,
    given: d.given,
    first,
    middle: d.middle,
    last: d.last,
    maidenName: d.maidenName,
    marryNight,
    marriedName: marryNight === NEVER ? undefined : familyName(Rng.of(seed, STREAM.marriage, index), market, 'F'),
    birthDay,
    mobile: market === 'US' ? usNumber(rng, rng.pick(h.address.market === 'US' ? h.address.city.areaCodes : ['917'])) : ruMobile(rng),
    email,
    companyName: employer?.name,
    suffix: undefined,
    foreignMobile: undefined,
    sharedEmail: undefined,
    since: anchorDay - rng.int(20, 3650),
    member,
    products: products(rng),
    closeNight: member.billing > 0 && rng.chance(0.012) ? rng.int(2, EVENT_HORIZON + 1) : NEVER,
    deceasedNight: d.age > 75 && rng.chance(0.03) ? rng.int(2, EVENT_HORIZON + 1) : NEVER,
    optOutNight: rng.chance(0.02) ? rng.int(2, EVENT_HORIZON + 1) : NEVER,
    activity: 0.4 + rng.next() * 1.2,
    devices: rng.chance(0.3) ? 2 : 1,
    role: d.role,
  };
}
