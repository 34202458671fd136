import type { Rng } from './rng.ts';

const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc',
  y: 'tu', z: 'x', а: 'ып', е: 'кн', и: 'мт', о: 'рл', н: 'ег', с: 'чм', т: 'иь', р: 'по', в: 'ыа', л: 'од',
  к: 'уе', м: 'си', д: 'лж', п: 'ар', у: 'цк', я: 'ч', ы: 'фв', г: 'нш', з: 'щх', й: 'ц', ч: 'яс', ш: 'гщ',
};

/**
 * One keyboard slip (edit distance 1): swap of neighbours, a doubled or dropped letter, or a
 * neighbouring key. The first character is kept, as people rarely mistype it.
 */
export function typo(rng: Rng, word: string): string {
  if (word.length < 3) return word;
  const i = rng.int(1, word.length - 2);
  const ch = word[i]!;
  switch (rng.int(0, 3)) {
    case 0: // transpose
      return word[i + 1] === ch ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + ch + word.slice(i + 2);
    case 1: // drop
      return word.slice(0, i) + word.slice(i + 1);
    case 2: // double
      return word.slice(0, i) + ch + word.slice(i);
    default: {
      const lower = ch.toLowerCase();
      const near = KEYBOARD_NEIGHBOURS[lower];
      if (near === undefined) return word.slice(0, i) + word.slice(i + 1);
      const r = near[rng.int(0, near.length - 1)]!;
      return word.slice(0, i) + (ch === lower ? r : r.toUpperCase()) + word.slice(i + 1);
    }
  }
}

/** A typo in the local part of an e-mail address, or a misspelt provider (gmial.com). */
export function emailTypo(rng: Rng, email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return typo(rng, email);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (rng.chance(0.35)) {
    const dot = domain.indexOf('.');
    const name = domain.slice(0, dot);
    return `${local}@${typo(rng, name)}${domain.slice(dot)}`;
  }
  return `${typo(rng, local)}@${domain}`;
}
