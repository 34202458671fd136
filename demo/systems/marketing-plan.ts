import { NEVER, type Person } from '../model.ts';
import { Rng, STREAM } from '../rng.ts';

/**
 * The demo's campaigns and how people answer them: the truth `campaign_results` is measured
 * against (tests/campaigns/demo-lifts.test.ts). Campaign k goes out on night 2k − 1 (nights 1,
 * 3, 5, …) to the campaign list cdw produced the night before (`cdw demo` writes it after each
 * run), or — without one — to half of the customers such a list would hold that night: a known
 * e-mail, marketing allowed, account open, alive. A fifth are held out as the control group.
 */
export interface DemoCampaign {
  readonly id: string;
  readonly name: string;
  /** '' when the campaign offers no product */
  readonly product: string;
  readonly price: number;
  readonly night: number;
}

/**
 * The offers in turn. The second names no product (a service message: any purchase, visit or
 * contact in the window is its response, so the visits and calls it brings are responses too).
 */
const OFFERS: readonly (readonly [name: string, product: string, price: number])[] = [
  ['Travel insurance for the holidays', 'travel_insurance', 49],
  ['Your account in the new app', '', 0],
  ['Fibre upgrade', 'fibre_upgrade', 25],
];

export const VARIANTS = ['A', 'B'] as const;
export const REGIONS = ['US', 'RU'] as const;
export type Variant = (typeof VARIANTS)[number];
export type Region = (typeof REGIONS)[number];

/** Share of a campaign list that is sent (the rest of the eligible are not on it). */
export const LIST_SHARE = 0.5;
/** Share of the list held out as the control group. */
export const HOLDOUT_SHARE = 0.2;
/** Share of sends that bounce (undelivered: they answer like the control group). */
export const BOUNCE_SHARE = 0.03;
/** Buying the product within two days without the campaign (control group, bounces). */
export const BASE_RATE = 0.01;
/** What each variant adds to the base rate in the US; Russia answers half as well. */
export const VARIANT_LIFT: Readonly<Record<Variant, number>> = { A: 0.08, B: 0.012 };
export const REGION_FACTOR: Readonly<Record<Region, number>> = { US: 1, RU: 0.5 };
export const UNSUBSCRIBE_SHARE = 0.015;
export const COMPLAINT_SHARE = 0.003;

/** The campaigns sent by night `nights`. */
export function demoCampaigns(nights: number): DemoCampaign[] {
  const out: DemoCampaign[] = [];
  for (let night = 1, k = 0; night <= nights; night += 2, k++) {
    const [name, product, price] = OFFERS[k % OFFERS.length]!;
    out.push({ id: `C${String(k + 1).padStart(3, '0')}`, name, product, price, night });
  }
  return out;
}

/** The response rate of a delivered send of a variant in a region (the designed truth). */
export function treatedRate(variant: Variant, region: Region): number {
  return BASE_RATE + VARIANT_LIFT[variant] * REGION_FACTOR[region];
}

/** The rate the treated group of a cell shows once bounces (answering at the base rate) are in. */
export function expectedTreatedRate(variant: Variant, region: Region): number {
  return (1 - BOUNCE_SHARE) * treatedRate(variant, region) + BOUNCE_SHARE * BASE_RATE;
}

/** One person's part in one campaign: drawn once, the same on every night. */
export interface CampaignPart {
  readonly control: boolean;
  readonly variant: Variant;
  readonly region: Region;
  readonly bounced: boolean;
  readonly opened: boolean;
  readonly unsubscribed: boolean;
  readonly complained: boolean;
  /** Night of the purchase the campaign brought (or would have), NEVER when none. */
  readonly buyNight: number;
  /** Seconds into that night's day of the purchase (after the send on the send night). */
  readonly buySecond: number;
  readonly sendSecond: number;
}

/** Whether the person would be on a campaign list that night. */
function eligible(p: Person, night: number): boolean {
  const m = p.member;
  const known =
    (m.billing > 0 && m.billingNight <= night) ||
    (m.erp > 0 && m.erpNight <= night) ||
    (m.pos > 0 && m.posNight <= night);
  return (
    known &&
    p.household.createdNight <= night &&
    p.email !== '' &&
    night < p.optOutNight &&
    night < p.deceasedNight &&
    night < p.closeNight
  );
}

/**
 * The person's part in the campaign, or undefined when they are not on its list: the list cdw
 * produced (`list`, lower-case e-mails) when there is one, else the rule above.
 */
export function campaignPart(
  seed: number,
  c: DemoCampaign,
  p: Person,
  list?: ReadonlySet<string>,
): CampaignPart | undefined {
  if (list !== undefined && !list.has(p.email.toLowerCase())) return undefined;
  if (list === undefined && !eligible(p, c.night)) return undefined;
  const rng = Rng.of(seed, STREAM.marketing, c.night, p.index);
  // drawn either way, so the draws after it do not depend on where the list came from
  const onList = rng.chance(LIST_SHARE);
  if (list === undefined && !onList) return undefined;
  const control = rng.chance(HOLDOUT_SHARE);
  const variant: Variant = rng.chance(0.5) ? 'A' : 'B';
  const region: Region = p.market === 'US' ? 'US' : 'RU';
  const bounced = !control && rng.chance(BOUNCE_SHARE);
  const delivered = !control && !bounced;
  const rate = delivered ? treatedRate(variant, region) : BASE_RATE;
  const buys = rng.chance(rate);
  const nextDay = rng.chance(0.4);
  const sendSecond = 9 * 3600 + rng.int(0, 3599);
  return {
    control,
    variant,
    region,
    bounced,
    opened: delivered && (buys || rng.chance(0.25)),
    unsubscribed: delivered && rng.chance(UNSUBSCRIBE_SHARE),
    complained: delivered && rng.chance(COMPLAINT_SHARE),
    buyNight: buys ? c.night + (nextDay ? 1 : 0) : NEVER,
    buySecond: nextDay ? rng.int(8 * 3600, 20 * 3600) : rng.int(11 * 3600, 20 * 3600),
    sendSecond,
  };
}

/**
 * Visits to the web site a delivered send brings (the recipient follows the link within a day or
 * so), by variant in the US; Russians follow links less. Only delivered sends bring them: the
 * control group and bounces visit as they always do (the web system's own visits).
 */
export const VISIT_LIFT: Readonly<Record<Variant, number>> = { A: 0.25, B: 0.1 };
export const VISIT_REGION_FACTOR: Readonly<Record<Region, number>> = { US: 1, RU: 0.6 };
/**
 * Calls to the contact centre a delivered send brings: variant B's offer is the confusing one,
 * and Russians would rather call than read a page — the surge after a campaign.
 */
export const CALL_LIFT: Readonly<Record<Variant, number>> = { A: 0.03, B: 0.07 };
export const CALL_REGION_FACTOR: Readonly<Record<Region, number>> = { US: 1, RU: 2 };
/** The queue is overloaded after a send: more callers give up than on a usual day (8 %). */
export const CAMPAIGN_CALL_ABANDONED = 0.2;

export function visitLift(variant: Variant, region: Region): number {
  return VISIT_LIFT[variant] * VISIT_REGION_FACTOR[region];
}

export function callLift(variant: Variant, region: Region): number {
  return CALL_LIFT[variant] * CALL_REGION_FACTOR[region];
}

/** What a send brings besides a purchase: a visit and a call, each on a night at a second, or not. */
export interface CampaignEcho {
  /** Night of the visit the send brought, NEVER when none. */
  readonly visitNight: number;
  readonly visitSecond: number;
  /** Night of the call the send brought, NEVER when none. */
  readonly callNight: number;
  readonly callSecond: number;
  readonly callAbandoned: boolean;
}

/**
 * The visit and the call a person's part in a campaign brings, from a stream of its own (after
 * `campaignPart`'s draws, so the purchases, lists and every other file stay as they were). Both
 * come after the send: on the send night (visits 70 %, calls 60 %) or the next (seconds of the
 * UTC day).
 */
export function campaignEcho(seed: number, c: DemoCampaign, p: Person, part: CampaignPart): CampaignEcho {
  const rng = Rng.of(seed, STREAM.marketing, c.night, p.index, 1);
  const delivered = !part.control && !part.bounced;
  const visits = rng.chance(delivered ? visitLift(part.variant, part.region) : 0);
  const visitSameNight = rng.chance(0.7);
  const visitSecond = visitSameNight ? part.sendSecond + rng.int(600, 6 * 3600) : rng.int(7 * 3600, 22 * 3600);
  const calls = rng.chance(delivered ? callLift(part.variant, part.region) : 0);
  const callSameNight = rng.chance(0.6);
  // UTC seconds; the contact centre (New York) takes calls from 07:00 to 18:00 its time
  const callSecond = callSameNight ? part.sendSecond + rng.int(3 * 3600, 12 * 3600) : rng.int(13 * 3600, 23 * 3600);
  const callAbandoned = rng.chance(CAMPAIGN_CALL_ABANDONED);
  return {
    visitNight: visits ? c.night + (visitSameNight ? 0 : 1) : NEVER,
    visitSecond,
    callNight: calls ? c.night + (callSameNight ? 0 : 1) : NEVER,
    callSecond,
    callAbandoned,
  };
}
