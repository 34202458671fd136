import type { GivenName } from './data/names-en.ts';
import type { RuGivenName } from './data/names-ru.ts';
import type { UsCity, RuCity, RuStreetType } from './data/places.ts';

/** The demo company's two markets. */
export type Market = 'US' | 'RU';

export type Address = UsAddress | RuAddress;

export interface UsAddress {
  readonly market: 'US';
  readonly house: number;
  readonly street: string;
  /** Index into US_STREET_TYPES. */
  readonly streetType: number;
  readonly apt: string | undefined;
  readonly city: UsCity;
  readonly zip: string;
}

export interface RuAddress {
  readonly market: 'RU';
  readonly street: string;
  readonly streetType: RuStreetType;
  readonly house: number;
  readonly flat: number | undefined;
  readonly city: RuCity;
  readonly postcode: string;
}

/** Never: an event that does not happen within the demo's horizon. */
export const NEVER = Number.POSITIVE_INFINITY;

/** Systems that hold party records, and how many records a person has there (0–2). */
export interface Membership {
  billing: number;
  erp: number;
  pos: number;
  /** Registered on the web shop (a web user id in the ERP). */
  webUser: boolean;
  /** Night each system first holds the person (1 = already at the first extract). */
  billingNight: number;
  erpNight: number;
  posNight: number;
}

/** A real person of the demo company: the truth every source record is a rendering of. */
export interface Person {
  readonly index: number;
  /** P0000001 — the person_id of truth.csv. */
  readonly id: string;
  readonly household: Household;
  readonly market: Market;
  readonly gender: 'M' | 'F';
  readonly given: GivenName | RuGivenName;
  /** Given name as the person writes it (Cyrillic for Russians). */
  readonly first: string;
  /** Patronymic (Russians) or middle initial (some Americans); '' when none. */
  readonly middle: string;
  /** Family name at the first night. */
  readonly last: string;
  /** Family name before a marriage that happened before the first night (older records keep it). */
  readonly maidenName: string | undefined;
  /** Night of a marriage during the demo (surname changes to marriedName), or NEVER. */
  readonly marryNight: number;
  readonly marriedName: string | undefined;
  readonly birthDay: number;
  /** Mobile, E.164 digits. */
  readonly mobile: string;
  readonly email: string;
  readonly companyName: string | undefined;
  /** Generational suffix the person goes by (Jr, Sr, II, III, младший, старший); harsh noise only. */
  readonly suffix: string | undefined;
  /** A mobile of another country (UK, RU or US) the person also uses, E.164 digits; harsh noise only. */
  readonly foreignMobile: string | undefined;
  /** A mailbox shared with the partner (a family address, or the partner's own); harsh noise only. */
  readonly sharedEmail: string | undefined;
  /** Day the person became a customer. */
  readonly since: number;
  readonly member: Membership;
  /** Subscription indices (into SUBSCRIPTIONS) of the main billing account. */
  readonly products: readonly number[];
  /** Night the main billing account is closed during the demo, or NEVER. */
  readonly closeNight: number;
  /** Night the person dies (account marked deceased), or NEVER. */
  readonly deceasedNight: number;
  /** Night the person withdraws marketing consent, or NEVER. */
  readonly optOutNight: number;
  /** How active the person is (scales event rates), around 1. */
  readonly activity: number;
  /** Number of browsers/devices (visitor cookies) the person uses. */
  readonly devices: number;
  /** Scripted role when this person belongs to a showcase household. */
  readonly role: string | undefined;
}

export interface Household {
  readonly index: number;
  /** H0000001 — the household_id of truth.csv. */
  readonly id: string;
  readonly market: Market;
  readonly address: Address;
  /** New address after the household moves during the demo. */
  readonly newAddress: Address | undefined;
  readonly moveNight: number;
  /** Shared landline, E.164 digits. */
  readonly landline: string | undefined;
  readonly createdNight: number;
  readonly members: Person[];
  /** Name of the showcase scenario this household plays, if any. */
  readonly scenario: string | undefined;
}

/** The family name a person goes by on a night. */
export function surnameOn(p: Person, night: number): string {
  return night >= p.marryNight && p.marriedName !== undefined ? p.marriedName : p.last;
}

/** The address a person lives at on a night. */
export function addressOn(p: Person, night: number): Address {
  const h = p.household;
  return night >= h.moveNight && h.newAddress !== undefined ? h.newAddress : h.address;
}
