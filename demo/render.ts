import { type Rng, STREAM, seedOf } from './rng.ts';
import { nightDay } from './calendar.ts';
import { translit, type TranslitScheme } from './translit.ts';
import type { RuGivenName } from './data/names-ru.ts';
import type { Person } from './model.ts';

/** How a Latin-only system spells a Russian name: one of the schemes, or the anglicised form. */
export type LatinStyle = TranslitScheme | 'anglo';

export function pickLatinStyle(rng: Rng): LatinStyle {
  return rng.weighted<LatinStyle>([['bgn', 50], ['icao', 25], ['popular', 10], ['anglo', 15]]);
}

/** A person's given name in Latin letters (Americans unchanged). */
export function latinGiven(p: Person, style: LatinStyle): string {
  if (p.market === 'US') return p.first;
  if (style === 'anglo') return (p.given as RuGivenName).anglo ?? translit(p.first, 'bgn');
  return translit(p.first, style);
}

export function latinText(p: Person, text: string, style: LatinStyle): string {
  return p.market === 'US' ? text : translit(text, style === 'anglo' ? 'bgn' : style);
}

/**
 * A short form of the given name (Bob, Саша), or undefined when the name has none. Showcase
 * persons always get the most common one, so the demo's examples read the same for any seed.
 */
export function nickname(rng: Rng, p: Person): string | undefined {
  const nicks = p.given.nicks;
  if (nicks.length === 0) return undefined;
  return p.role === 'nickname' ? nicks[0] : rng.pick(nicks);
}

/**
 * When a life event reaches a system: the same night, a few nights later, or never.
 * `lagOdds` is [same night, later, never].
 */
export function eventNight(rng: Rng, night: number, lagOdds: readonly [number, number, number]): number {
  const r = rng.weighted<number>([[0, lagOdds[0]], [1, lagOdds[1]], [2, lagOdds[2]]]);
  if (!Number.isFinite(night)) return night;
  return r === 0 ? night : r === 1 ? night + rng.int(1, 3) : Number.POSITIVE_INFINITY;
}

/** Wall-clock second of an event on a night (office hours), stable for the person and kind. */
export function eventTime(seed: number, p: Person, night: number, kind: number): number {
  return nightDay(night) * 86_400 + 8 * 3600 + (seedOf(seed, STREAM.events, p.index, night, kind) % 36_000);
}

/** Latest of an update's times that have happened by `night` (events on later nights ignored). */
export function lastUpdate(created: number, createdNight: number, night: number, events: readonly (readonly [number, number])[]): number {
  let t = created;
  for (const [n, time] of events) if (n > createdNight && n <= night && time > t) t = time;
  return t;
}

/** Whether any event of the list falls on `night` (after the record was created). */
export function changedOn(createdNight: number, night: number, events: readonly (readonly [number, number])[]): boolean {
  for (const [n] of events) if (n === night && n > createdNight) return true;
  return false;
}
