/**
 * Seeded randomness for the demo company. Nothing in the demo uses Math.random or the clock:
 * every draw comes from an Rng seeded by `seedOf(seed, stream, …ids)`, so the same seed gives
 * byte-identical output and any person's data can be regenerated on its own.
 */

/** Mixes integers into one 32-bit seed (murmur3 finaliser per part). */
export function seedOf(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p | 0, 0xcc9e2d51) ^ Math.floor(p / 4294967296);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform draw in [0, 1) without allocating an Rng: for the many "does anything happen to
 * this person today?" gates, where the answer is almost always no.
 */
export function uniformOf(...parts: readonly number[]): number {
  return seedOf(...parts) / 4294967296;
}

/** Stream ids: one per purpose, so adding draws to one purpose never shifts another. */
export const STREAM = {
  household: 1,
  marriage: 2,
  billing: 10,
  billingNight: 11,
  invoice: 12,
  erp: 20,
  erpOrderDay: 21,
  pos: 30,
  posNight: 31,
  posAnon: 32,
  web: 40,
  webNight: 41,
  webNoise: 42,
  cookie: 43,
  calls: 50,
  callsNoise: 51,
  tickets: 52,
  events: 60,
  /** Harsh noise only: person facts (suffixes, foreign mobiles, shared mailboxes). */
  harshPerson: 70,
  /** Harsh noise only: the web shop's name-less sign-ups. */
  signups: 71,
  /** The marketing system: who is on a campaign's list, the send and the answer. */
  marketing: 80,
  /** A change night (`change-night.ts`): who changes, and how. */
  changes: 90,
} as const;

/** mulberry32: small, fast, good enough for synthetic data. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  static of(...parts: readonly number[]): Rng {
    return new Rng(seedOf(...parts));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  }

  /** `n` random decimal digits. */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }

  /** `n` random lowercase hex characters. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}
