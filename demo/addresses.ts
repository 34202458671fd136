import type { Rng } from './rng.ts';
import { US_CITIES, US_STREET_NAMES, US_STREET_TYPES, RU_CITIES, RU_STREETS, RU_STREET_TYPES } from './data/places.ts';
import type { Address, Market, RuAddress, UsAddress } from './model.ts';
import { translit } from './translit.ts';

const US_WEIGHTED = US_CITIES.map((c) => [c, c.weight] as const);
const RU_WEIGHTED = RU_CITIES.map((c) => [c, c.weight] as const);

/** A random address in a market; `sameCity` keeps the city (people mostly move within town). */
export function randomAddress(rng: Rng, market: Market, sameCity?: Address): Address {
  if (market === 'US') {
    const city = sameCity?.market === 'US' ? sameCity.city : rng.weighted(US_WEIGHTED);
    return {
      market: 'US',
      house: rng.int(1, 9800),
      street: rng.pick(US_STREET_NAMES),
      streetType: rng.int(0, US_STREET_TYPES.length - 1),
      apt: rng.chance(0.45) ? `${rng.int(1, 24)}${rng.pick(['', '', 'A', 'B', 'C', 'F'])}` : undefined,
      city,
      zip: `${rng.pick(city.zip3)}${rng.digits(2)}`,
    } satisfies UsAddress;
  }
  const city = sameCity?.market === 'RU' ? sameCity.city : rng.weighted(RU_WEIGHTED);
  const [street, streetType] = rng.pick(RU_STREETS);
  return {
    market: 'RU',
    street,
    streetType,
    house: rng.int(1, 140),
    flat: rng.chance(0.9) ? rng.int(1, 320) : undefined,
    city,
    postcode: `${rng.pick(city.post3)}${rng.digits(3)}`,
  } satisfies RuAddress;
}

/** How a source writes the street line. */
export type AddressStyle = 'full' | 'abbrev' | 'latin';

/**
 * The street line as a source writes it: "123 Main Street, Apt 4B" (full), "123 Main St. #4B"
 * (abbrev); "улица Тверская, дом 12, квартира 34", "ул. Тверская, д. 12, кв. 34",
 * "ul. Tverskaya, d. 12, kv. 34" (latin, for systems without Cyrillic).
 */
export function streetLine(a: Address, style: AddressStyle, street = a.street): string {
  if (a.market === 'US') {
    const [full, abbr] = US_STREET_TYPES[a.streetType]!;
    if (style === 'abbrev') return `${a.house} ${street} ${abbr}${a.apt ? ` #${a.apt}` : ''}`;
    return `${a.house} ${street} ${full}${a.apt ? `, Apt ${a.apt}` : ''}`;
  }
  const [full, abbr, lat] = RU_STREET_TYPES[a.streetType];
  if (style === 'latin') return `${lat} ${translit(street)}, d. ${a.house}${a.flat ? `, kv. ${a.flat}` : ''}`;
  if (style === 'abbrev') return `${abbr} ${street}, д. ${a.house}${a.flat ? `, кв. ${a.flat}` : ''}`;
  return `${full} ${street}, дом ${a.house}${a.flat ? `, квартира ${a.flat}` : ''}`;
}

export function cityName(a: Address, latin = false): string {
  return a.market === 'US' ? a.city.city : latin ? translit(a.city.city) : a.city.city;
}

export function postcode(a: Address): string {
  return a.market === 'US' ? a.zip : a.postcode;
}
