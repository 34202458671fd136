import { Rng, seedOf } from '../rng.ts';
import { formatPhone, ruLandline, ruMobile, usNumber } from '../phones.ts';
import type { Market } from '../model.ts';

/**
 * Phone numbers of the harsh noise model: mobiles of another country (a US customer with a UK
 * or Russian SIM), company switchboards and store numbers that strangers share, numbers written
 * with or without their country code, and slips of the finger. All stay valid for
 * libphonenumber-js (max metadata) when read with the number's own country.
 */

/** A UK mobile, E.164 digits: 07xxx xxxxxx outside the pager (076) and drama (07700 900) ranges. */
export function ukMobile(rng: Rng): string {
  for (;;) {
    const block = `${rng.pick(['4', '5', '7', '8', '9'])}${rng.digits(2)}`;
    if (block !== '700' && block !== '911') return `447${block}${rng.digits(6)}`;
  }
}

/** A mobile of another country than the person's market: UK or Russian for Americans, UK or US for Russians. */
export function foreignMobile(rng: Rng, market: Market): string {
  if (rng.chance(0.55)) return ukMobile(rng);
  return market === 'US' ? ruMobile(rng) : usNumber(rng, rng.pick(['917', '646', '347']));
}

function hashText(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The main line of an employer, the same for everyone who works there (and for nobody else). */
export function switchboard(seed: number, company: string, market: Market): string {
  const rng = new Rng(seedOf(seed, 0x5b, hashText(company)));
  return market === 'US' ? usNumber(rng, rng.pick(['212', '312', '617', '415'])) : ruLandline(rng, '495');
}

/** The phone of a store of a chain: a clerk types it when the customer gives none. */
export function storePhone(seed: number, market: Market, store: number): string {
  const rng = new Rng(seedOf(seed, 0x5c, market === 'US' ? 1 : 7, store));
  return market === 'US' ? usNumber(rng, rng.pick(['212', '718'])) : ruLandline(rng, '495');
}

/** Two neighbouring digits among the last four swapped (so the number stays a valid one). */
export function transposeDigits(rng: Rng, digits: string): string {
  const lo = digits.length - 4;
  const i = rng.int(lo, digits.length - 2);
  if (digits[i] === digits[i + 1]) return digits.slice(0, i) + String((Number(digits[i]) + 1) % 10) + digits.slice(i + 1);
  return digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
}

/** Country of E.164 digits the demo hands out. */
export function phoneCountry(digits: string): 'US' | 'RU' | 'GB' {
  return digits.startsWith('44') ? 'GB' : digits.startsWith('7') ? 'RU' : 'US';
}

/**
 * A number as a person writes it, with its country code (+44 7911 123456, +7 916 …, +1 212-…)
 * or without, in the number's own national form (07911 123456, 8 (916) …, (212) 555-…): read
 * with the wrong default country, the last no longer names the right line.
 */
export function writtenPhone(digits: string, withCode: boolean): string {
  const country = phoneCountry(digits);
  if (country === 'GB') {
    const nsn = digits.slice(2);
    return withCode ? `+44 ${nsn.slice(0, 4)} ${nsn.slice(4)}` : `0${nsn.slice(0, 4)} ${nsn.slice(4)}`;
  }
  return formatPhone(digits, withCode ? 'intl' : 'national');
}

/** A number as typed into a web form: any of the ways people write it, sometimes without any code. */
export function typedPhone(rng: Rng, digits: string): { text: string; withCode: boolean } {
  const country = phoneCountry(digits);
  const r = rng.int(0, 3);
  if (r === 0) return { text: `+${digits}`, withCode: true };
  if (r === 1) return { text: writtenPhone(digits, true), withCode: true };
  if (r === 2) return { text: writtenPhone(digits, false), withCode: false };
  // Bare national digits: 2125550123, 9161234567, 7911123456 (no trunk prefix, no code).
  return { text: country === 'US' ? digits.slice(1) : country === 'RU' ? digits.slice(1) : digits.slice(2), withCode: false };
}
