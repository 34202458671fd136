import { EN_FEMALE, EN_MALE, type GivenName } from './data/names-en.ts';
import { RU_FEMALE, RU_MALE, type RuGivenName } from './data/names-ru.ts';
import type { Market, Membership, Person } from './model.ts';
import type { PersonDraft } from './people.ts';

/**
 * Showcase households: the first households of every demo company play scripted parts, so
 * each messy case exists even in a tiny demo (and is easy to look up). Random households
 * after them produce the same cases at realistic rates.
 */
export interface Scenario {
  readonly name: string;
  readonly market: Market;
  readonly city: string;
  readonly landline: boolean;
  readonly moveNight?: number;
  readonly members: readonly ScenarioMember[];
}

export interface ScenarioMember {
  readonly draft: PersonDraft;
  readonly member: Partial<Membership>;
  readonly extra?: Partial<Pick<Person, 'products' | 'marryNight' | 'marriedName' | 'email'>>;
}

const en = (list: readonly GivenName[], name: string) => list.find((g) => g.name === name)!;
const ru = (list: readonly RuGivenName[], name: string) => list.find((g) => g.name === name)!;
const none: Partial<Membership> = { billing: 0, erp: 0, pos: 0, webUser: false };

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'cross_sell_couple', market: 'US', city: 'New York', landline: true,
    members: [
      { draft: { gender: 'M', given: en(EN_MALE, 'David'), last: 'Miller', middle: 'J', maidenName: undefined, age: 44, role: 'no_car_insurance' },
        member: { ...none, billing: 1, erp: 1, webUser: true }, extra: { products: [2, 3] } },
      { draft: { gender: 'F', given: en(EN_FEMALE, 'Sarah'), last: 'Miller', middle: '', maidenName: 'Cooper', age: 42, role: 'car_insurance' },
        member: { ...none, billing: 1 }, extra: { products: [0, 1] } },
    ],
  },
  {
    name: 'nickname', market: 'US', city: 'Boston', landline: false,
    members: [{ draft: { gender: 'M', given: en(EN_MALE, 'Robert'), last: 'Johnson', middle: '', maidenName: undefined, age: 51, role: 'nickname' },
      member: { ...none, billing: 1, erp: 1, pos: 1 } }],
  },
  {
    name: 'sasha', market: 'RU', city: 'Москва', landline: false,
    members: [{ draft: { gender: 'M', given: ru(RU_MALE, 'Александр'), last: 'Смирнов', middle: 'Игоревич', maidenName: undefined, age: 35, role: 'nickname' },
      member: { ...none, billing: 1, erp: 1, pos: 1 } }],
  },
  {
    name: 'mover', market: 'US', city: 'San Francisco', landline: false, moveNight: 2,
    members: [{ draft: { gender: 'F', given: en(EN_FEMALE, 'Jennifer'), last: 'Davis', middle: 'L', maidenName: undefined, age: 38, role: 'mover' },
      member: { ...none, billing: 1, erp: 1 } }],
  },
  {
    name: 'marriage', market: 'RU', city: 'Санкт-Петербург', landline: false,
    members: [{ draft: { gender: 'F', given: ru(RU_FEMALE, 'Екатерина'), last: 'Волкова', middle: 'Андреевна', maidenName: undefined, age: 29, role: 'marriage' },
      member: { ...none, billing: 1, erp: 1, pos: 1 }, extra: { marryNight: 2, marriedName: 'Орлова' } }],
  },
  {
    name: 'swap', market: 'US', city: 'Chicago', landline: false,
    members: [{ draft: { gender: 'M', given: en(EN_MALE, 'Kevin'), last: 'Baker', middle: '', maidenName: undefined, age: 47, role: 'swap' },
      member: { ...none, billing: 1, erp: 1 } }],
  },
  {
    name: 'namesake_a', market: 'US', city: 'Chicago', landline: false,
    members: [{ draft: { gender: 'M', given: en(EN_MALE, 'Michael'), last: 'Brown', middle: '', maidenName: undefined, age: 40, role: 'namesake' },
      member: { ...none, billing: 1 } }],
  },
  {
    name: 'namesake_b', market: 'US', city: 'Chicago', landline: false,
    members: [{ draft: { gender: 'M', given: en(EN_MALE, 'Michael'), last: 'Brown', middle: '', maidenName: undefined, age: 63, role: 'namesake' },
      member: { ...none, billing: 1, pos: 1 } }],
  },
  {
    name: 'duplicate_account', market: 'US', city: 'Austin', landline: false,
    members: [{ draft: { gender: 'F', given: en(EN_FEMALE, 'Patricia'), last: 'Gonzalez', middle: '', maidenName: undefined, age: 56, role: 'duplicate' },
      member: { ...none, billing: 2, erp: 1 } }],
  },
  {
    name: 'family_landline', market: 'RU', city: 'Москва', landline: true,
    members: [
      { draft: { gender: 'M', given: ru(RU_MALE, 'Сергей'), last: 'Кузнецов', middle: 'Петрович', maidenName: undefined, age: 52 },
        member: { ...none, billing: 1, pos: 1 } },
      { draft: { gender: 'F', given: ru(RU_FEMALE, 'Ольга'), last: 'Кузнецова', middle: 'Николаевна', maidenName: 'Белова', age: 49 },
        member: { ...none, pos: 1 } },
      { draft: { gender: 'M', given: ru(RU_MALE, 'Дмитрий'), last: 'Кузнецов', middle: 'Сергеевич', maidenName: undefined, age: 24 },
        member: { ...none, pos: 1, erp: 1, webUser: true } },
    ],
  },
];

/** Persons after the showcase households: only they are picked for deliberately broken rows. */
export const FIRST_ORDINARY_PERSON = SCENARIOS.reduce((n, s) => n + s.members.length, 0);

/** The showcase a household plays: only households present from the first night. */
export function scenarioFor(index: number, createdNight: number): Scenario | undefined {
  return createdNight === 1 ? SCENARIOS[index] : undefined;
}

