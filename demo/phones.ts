import type { Rng } from './rng.ts';

/**
 * Phone numbers the demo hands out are valid for libphonenumber-js (so standardisation can
 * keep them): US exchanges 2xx–9xx, never 555 or N11; Russian mobiles +7 9xx, landlines
 * with real area codes. Stored as E.164 digits without "+"; each source writes its own format.
 */
const RU_MOBILE_CODES = ['903', '905', '906', '909', '910', '915', '916', '917', '919', '925', '926', '929', '965', '977', '985', '999'];

function usExchange(rng: Rng): string {
  for (;;) {
    const e = `${rng.int(2, 9)}${rng.digits(2)}`;
    if (e !== '555' && !/^\d11$/.test(e)) return e;
  }
}

export function usNumber(rng: Rng, areaCode: string): string {
  return `1${areaCode}${usExchange(rng)}${rng.digits(4)}`;
}

export function ruMobile(rng: Rng): string {
  return `7${rng.pick(RU_MOBILE_CODES)}${rng.int(1, 9)}${rng.digits(6)}`;
}

export function ruLandline(rng: Rng, areaCode: string): string {
  return `7${areaCode}${rng.int(2, 9)}${rng.digits(6)}`;
}

/** Ways sources write a number. */
export type PhoneStyle = 'e164' | 'national' | 'intl' | 'digits' | 'dashed' | 'dotted';

/** Formats E.164 digits (1XXXXXXXXXX or 7XXXXXXXXXX) in a source's style. */
export function formatPhone(digits: string, style: PhoneStyle): string {
  const ru = digits.startsWith('7');
  const a = digits.slice(1, 4);
  const b = digits.slice(4, 7);
  const c = digits.slice(7, 9);
  const d = digits.slice(9, 11);
  const line = digits.slice(7);
  switch (style) {
    case 'e164':
      return `+${digits}`;
    case 'national':
      return ru ? `8 (${a}) ${b}-${c}-${d}` : `(${a}) ${b}-${line}`;
    case 'intl':
      return ru ? `+7 (${a}) ${b}-${c}-${d}` : `+1 ${a}-${b}-${line}`;
    case 'digits':
      return ru ? digits : digits.slice(1);
    case 'dashed':
      return ru ? `8-${a}-${b}-${c}-${d}` : `+1 (${a}) ${b}-${line}`;
    case 'dotted':
      return ru ? `+7 ${a} ${b}${c}${d}` : `${a}.${b}.${line}`;
  }
}
