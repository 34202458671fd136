import { Rng, STREAM } from '../rng.ts';
import { emailWord } from '../people.ts';
import { RU_FREE_MAIL, US_FREE_MAIL } from '../data/companies.ts';
import type { Household, Market, Person } from '../model.ts';
import { foreignMobile } from './phones.ts';

/**
 * Person facts of the harsh noise model, drawn from the household's own harsh stream once the
 * standard household is complete (so none of its draws move): a son named after his father at
 * the same address (Jr/Sr, младший/старший — two people, whatever the records say), other men's
 * generational suffixes, mobiles of another country, and a mailbox a couple shares. Showcase
 * households stay as scripted.
 */
export function roughenHousehold(seed: number, h: Household): void {
  if (h.scenario !== undefined) return;
  const rng = Rng.of(seed, STREAM.harshPerson, h.index);
  const m = h.members;
  const us = h.market === 'US';
  const fatherAt = m.findIndex((x, i) => i < 2 && x.gender === 'M');
  const sonAt = m.findIndex((x, i) => i >= 2 && x.gender === 'M');
  if (fatherAt >= 0 && sonAt >= 0 && rng.chance(us ? 0.3 : 0.15)) {
    const father = m[fatherAt]!;
    const son = m[sonAt]!;
    const sonSuffix = us ? (rng.chance(0.8) ? 'Jr' : 'II') : 'младший';
    m[sonAt] = {
      ...son,
      given: father.given,
      first: father.first,
      // An American junior has his father's whole name; a Russian one keeps his own patronymic.
      middle: us ? father.middle : son.middle,
      suffix: sonSuffix,
      email: juniorEmail(rng, h.market, father.first, son.last, son.index),
    };
    m[fatherAt] = { ...father, suffix: us ? (sonSuffix === 'Jr' ? 'Sr' : undefined) : 'старший' };
  }
  for (let i = 0; i < m.length; i++) {
    const x = m[i]!;
    let next: Person = x;
    if (us && x.gender === 'M' && x.suffix === undefined && rng.chance(0.02)) {
      next = { ...next, suffix: rng.weighted<string>([['Jr', 60], ['II', 15], ['III', 25]]) };
    }
    if (rng.chance(us ? 0.04 : 0.025)) next = { ...next, foreignMobile: foreignMobile(rng, h.market) };
    m[i] = next;
  }
  if (m.length >= 2 && rng.chance(us ? 0.1 : 0.06)) {
    const a = m[0]!;
    const b = m[1]!;
    const shared = rng.chance(0.5) ? familyMailbox(rng, h, a, b) : rng.pick([a, b]).email;
    m[0] = { ...a, sharedEmail: shared };
    m[1] = { ...b, sharedEmail: shared };
  }
}

function freeDomain(rng: Rng, market: Market): string {
  return rng.weighted(market === 'US' ? US_FREE_MAIL : RU_FREE_MAIL);
}

function juniorEmail(rng: Rng, market: Market, first: string, last: string, index: number): string {
  const f = emailWord(first);
  const l = emailWord(last);
  const n = index + 17;
  const local = market === 'US' ? rng.pick([`${f}.${l}jr${n}`, `${f}${l}${n}`, `${f[0]}${l}${n}`]) : rng.pick([`${f}.${l}${n}`, `${f}${l}${n}`]);
  return `${local}@${freeDomain(rng, market)}`;
}

/** thesmiths17@…, smithfamily17@…, davidandsarah17@…; ivanovy17@…, semya.ivanov17@… */
function familyMailbox(rng: Rng, h: Household, a: Person, b: Person): string {
  const l = emailWord(h.market === 'RU' && a.gender === 'F' ? b.last : a.last);
  const n = h.index + 17;
  const pair = `${emailWord(a.first)}${h.market === 'US' ? 'and' : 'i'}${emailWord(b.first)}${n}`;
  const local = h.market === 'US' ? rng.pick([`the${l}s${n}`, `${l}family${n}`, pair]) : rng.pick([`${l}y${n}`, `semya.${l}${n}`, pair]);
  return `${local}@${freeDomain(rng, h.market)}`;
}
