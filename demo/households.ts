import { Rng, STREAM } from './rng.ts';
import { nightDay } from './calendar.ts';
import { randomAddress } from './addresses.ts';
import { ruLandline, usNumber } from './phones.ts';
import { RU_CITIES, US_CITIES } from './data/places.ts';
import { feminineSurname, type RuGivenName } from './data/names-ru.ts';
import { NEVER, type Address, type Household, type Market, type Person } from './model.ts';
import { EVENT_HORIZON, familyName, givenName, makePerson, middleName, type PersonDraft } from './people.ts';
import { scenarioFor, type Scenario } from './scenarios.ts';
import type { NoiseModel } from './noise.ts';
import { roughenHousehold } from './harsh/household.ts';

/** Size of the demo company: persons on the first night, and the seed of everything. */
export interface PopulationSpec {
  readonly seed: number;
  readonly customers: number;
  /** `harsh` adds the harsh model's person facts (suffixes, foreign mobiles, shared mailboxes). */
  readonly noise?: NoiseModel;
}

/** New households joining the company each night after the first. */
export function newHouseholdsPerNight(customers: number): number {
  return Math.max(1, Math.round(customers * 0.0012));
}

/**
 * Every household of the company on `night`, always in the same order: the households of
 * the first night (exactly `customers` persons), then those that joined on nights 2…night.
 * Each household is rebuilt from its own seed, so nothing is held in memory between them.
 */
export function* households(spec: PopulationSpec, night: number): Generator<Household> {
  let persons = 0;
  let k = 0;
  let prev: Household | undefined;
  while (persons < spec.customers) {
    const h = makeHousehold(spec.seed, k++, 1, persons, spec.customers - persons, prev, spec.noise);
    persons += h.members.length;
    prev = h;
    yield h;
  }
  const perNight = newHouseholdsPerNight(spec.customers);
  for (let c = 2; c <= night; c++) {
    for (let j = 0; j < perNight; j++) {
      const h = makeHousehold(spec.seed, k++, c, persons, 4, prev, spec.noise);
      persons += h.members.length;
      prev = h;
      yield h;
    }
  }
}

function forcedAddress(rng: Rng, market: Market, city: string): Address {
  const base = randomAddress(rng, market);
  if (base.market === 'US') {
    const c = US_CITIES.find((x) => x.city === city) ?? base.city;
    return { ...base, city: c, zip: `${c.zip3[0]}${base.zip.slice(3)}` };
  }
  const c = RU_CITIES.find((x) => x.city === city) ?? base.city;
  return { ...base, city: c, postcode: `${c.post3[0]}${base.postcode.slice(3)}` };
}

/** Иванова → Иванов, Островская → Островский (the form a son is given). */
function masculine(s: string): string {
  return s.replace(/(ов|ев|ёв|ин|ын)а$/, '$1').replace(/([сц]к)ая$/, '$1ий');
}

function landline(rng: Rng, a: Address): string {
  return a.market === 'US' ? usNumber(rng, a.city.areaCodes[0]!) : ruLandline(rng, a.city.areaCode);
}

function drafts(rng: Rng, market: Market, size: number, prev: Household | undefined, createdNight: number): PersonDraft[] {
  const out: PersonDraft[] = [];
  const g0: 'M' | 'F' = rng.chance(0.5) ? 'M' : 'F';
  const age0 = size > 2 ? rng.int(42, 70) : rng.int(22, 85);
  // Namesakes: now and then a different person with exactly the name of the previous customer.
  const twin = createdNight === 1 && prev !== undefined && prev.market === market && rng.chance(0.004) ? prev.members[0] : undefined;
  const given0 = twin?.given ?? givenName(rng, market, twin?.gender ?? g0);
  const gender0 = twin?.gender ?? g0;
  const last0 = twin ? twin.last : familyName(rng, market, gender0);
  out.push({ gender: gender0, given: given0, last: last0, middle: middleName(rng, market, gender0), maidenName: undefined, age: age0, role: twin ? 'namesake' : undefined });
  if (size >= 2) {
    const g1: 'M' | 'F' = rng.chance(0.92) ? (gender0 === 'M' ? 'F' : 'M') : gender0;
    const own = familyName(rng, market, g1);
    // A married couple shares the husband's family name (the feminine form for a Russian wife).
    const married = g1 !== gender0 && twin === undefined && rng.chance(market === 'RU' ? 0.9 : 0.8);
    const first = out[0]!;
    let last1 = own;
    let maiden1: string | undefined;
    if (married && g1 === 'F') {
      maiden1 = own;
      last1 = market === 'RU' ? feminineSurname(last0) : last0;
    } else if (married) {
      first.maidenName = first.last;
      first.last = market === 'RU' ? feminineSurname(own) : own;
    }
    out.push({
      gender: g1, given: givenName(rng, market, g1), last: last1, middle: middleName(rng, market, g1),
      maidenName: maiden1, age: Math.max(20, Math.min(90, age0 + rng.int(-6, 6))),
    });
  }
  const father = out.find((d) => d.gender === 'M');
  for (let i = 2; i < size; i++) {
    const g: 'M' | 'F' = rng.chance(0.5) ? 'M' : 'F';
    const fam = masculine(father?.last ?? last0);
    const last = market === 'RU' && g === 'F' ? feminineSurname(fam) : fam;
    const fatherName = market === 'RU' && father ? (father.given as RuGivenName) : undefined;
    out.push({ gender: g, given: givenName(rng, market, g), last, middle: middleName(rng, market, g, fatherName), maidenName: undefined, age: rng.int(18, 30) });
  }
  return out;
}

/** Builds household `k` (deterministic from seed and k) with persons numbered from `firstIndex`. */
export function makeHousehold(seed: number, k: number, createdNight: number, firstIndex: number, maxMembers: number, prev: Household | undefined, noise: NoiseModel = 'standard'): Household {
  const rng = Rng.of(seed, STREAM.household, k);
  const sc: Scenario | undefined = scenarioFor(k, createdNight);
  const market: Market = sc?.market ?? (rng.chance(0.6) ? 'US' : 'RU');
  const address = sc ? forcedAddress(rng, market, sc.city) : randomAddress(rng, market);
  const wanted = sc ? sc.members.length : rng.weighted<number>([[1, 50], [2, 35], [3, 11], [4, 4]]);
  const size = Math.max(1, Math.min(wanted, maxMembers));
  const hasLandline = sc ? sc.landline : rng.chance(size >= 2 ? 0.55 : 0.2);
  const moves = sc ? sc.moveNight !== undefined : rng.chance(0.1);
  const moveNight = sc?.moveNight ?? (moves ? rng.int(2, EVENT_HORIZON + 1) : NEVER);
  const newAddress = moves ? randomAddress(rng, market, rng.chance(0.75) ? address : undefined) : undefined;
  const members: Person[] = [];
  const h: Household = {
    index: k,
    id: `H${String(k + 1).padStart(7, '0')}`,
    market,
    address,
    newAddress,
    moveNight,
    landline: hasLandline ? landline(rng, address) : undefined,
    createdNight,
    members,
    scenario: sc?.name,
  };
  const ds = sc ? sc.members.slice(0, size).map((m) => m.draft) : drafts(rng, market, size, prev, createdNight);
  const anchor = nightDay(1);
  ds.forEach((d, i) => {
    let p = makePerson(rng, seed, h, ds.length, firstIndex + i, d, anchor);
    const script = sc?.members[i];
    if (script) {
      // Showcase persons do exactly what their script says and nothing random besides.
      const calm = { marryNight: NEVER, marriedName: undefined, closeNight: NEVER, deceasedNight: NEVER, optOutNight: NEVER };
      const nights = { billingNight: 1, erpNight: 1, posNight: 1 };
      p = { ...p, ...calm, ...script.extra, member: { ...p.member, ...nights, ...script.member } };
    }
    members.push(p);
  });
  if (noise === 'harsh') roughenHousehold(seed, h);
  return h;
}
