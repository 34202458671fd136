import type { Rng } from '../rng.ts';
import type { Person } from '../model.ts';

/**
 * Names as the harsh noise model writes them: slips on the first letter (where the standard
 * model never errs), initials for given names, generational suffixes that one system keeps and
 * another drops, Latin look-alike letters inside Cyrillic words.
 */

/** First letters people confuse by sound or spelling habit (Catherine/Katherine, Эдуард/Едуард). */
const SOUND_ALIKE: Readonly<Record<string, string>> = {
  C: 'K', K: 'C', F: 'Ph', J: 'G', G: 'J', I: 'Y', Y: 'I', S: 'Z', Z: 'S', W: 'V', V: 'W', E: 'A', A: 'E',
  Э: 'Е', Е: 'Э', Ю: 'У', Я: 'Е', О: 'А', А: 'О', Ш: 'Щ', Щ: 'Ш', З: 'С', С: 'З', Г: 'К', Б: 'П', Д: 'Т', В: 'Ф', Ф: 'В',
};
const NEIGHBOUR_KEY: Readonly<Record<string, string>> = {
  A: 'SQ', B: 'VN', C: 'XV', D: 'SF', E: 'WR', F: 'DG', G: 'FH', H: 'GJ', I: 'UO', J: 'HK', K: 'JL', L: 'K', M: 'N', N: 'BM',
  O: 'IP', P: 'O', R: 'ET', S: 'AD', T: 'RY', U: 'YI', V: 'CB', W: 'QE', Y: 'TU', Z: 'X',
  А: 'ВП', Б: 'ЬЮ', В: 'ЫА', Г: 'НШ', Д: 'ЛЖ', Е: 'КН', Ж: 'ДЭ', З: 'ЩХ', И: 'МТ', К: 'УЕ', Л: 'ОД', М: 'СИ', Н: 'ЕГ',
  О: 'РЛ', П: 'АР', Р: 'ПО', С: 'ЧМ', Т: 'ИЬ', У: 'ЦК', Ф: 'ЙЫ', Х: 'ЗЪ', Ц: 'ЙУ', Ч: 'ЯС', Ш: 'ГЩ', Щ: 'ШЗ', Э: 'Ж', Ю: 'Б', Я: 'Ч',
};

function cased(word: string, like: string): string {
  return like === like.toUpperCase() && like.length > 1 && like !== like.toLowerCase() ? word.toUpperCase() : word;
}

/**
 * One slip on the first letter: a sound-alike (Catherine → Katherine), the neighbouring key
 * (Perry → Oerry), the first two letters swapped (Perry → Eprry) or the first letter lost.
 */
export function firstLetterTypo(rng: Rng, word: string): string {
  if (word.length < 3) return word;
  const head = word[0]!.toUpperCase();
  const rest = word.slice(1);
  const mode = rng.int(0, 3);
  const alike = SOUND_ALIKE[head];
  if (mode === 0 && alike !== undefined) return cased(alike + rest, word);
  if (mode <= 1) {
    const near = NEIGHBOUR_KEY[head];
    if (near !== undefined) return cased(near[rng.int(0, near.length - 1)]! + rest, word);
  }
  if (mode === 2) return cased(word[1]!.toUpperCase() + word[0]!.toLowerCase() + word.slice(2), word);
  return cased(word[1]!.toUpperCase() + word.slice(2), word);
}

/** The initial of a name: J. (or J when the system drops the dot). */
export function initialOf(name: string, dot = true): string {
  return `${name[0]!.toUpperCase()}${dot ? '.' : ''}`;
}

/** Latin letters that look like Cyrillic ones: a word typed with the keyboard layout switched mid-word. */
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
};

/** One Cyrillic letter replaced by its Latin look-alike ("Иванoв" with a Latin o), or the word unchanged. */
export function homoglyph(rng: Rng, word: string): string {
  const at: number[] = [];
  for (let i = 0; i < word.length; i++) if (LOOK_ALIKE[word[i]!] !== undefined) at.push(i);
  if (at.length === 0) return word;
  const i = rng.pick(at);
  return word.slice(0, i) + LOOK_ALIKE[word[i]!]! + word.slice(i + 1);
}

const LATIN_SUFFIX: Readonly<Record<string, readonly string[]>> = {
  Jr: ['Jr', 'Jr.', 'JR'], Sr: ['Sr', 'Sr.', 'SR'], II: ['II'], III: ['III'],
};
const CYRILLIC_SUFFIX: Readonly<Record<string, readonly string[]>> = {
  младший: ['младший', 'мл.', '(мл.)'], старший: ['старший', 'ст.', '(ст.)'],
};

/**
 * How one record writes the person's generational suffix, or undefined when the system drops
 * it. Russians' младший/старший survive only in Cyrillic systems. `keep` is the chance a
 * system keeps a Jr/II/III; Sr and старший are kept half as often (fathers rarely write them).
 */
export function writtenSuffix(rng: Rng, p: Person, cyrillic: boolean, keep: number): string | undefined {
  const s = p.suffix;
  if (s === undefined) return undefined;
  const senior = s === 'Sr' || s === 'старший';
  if (!rng.chance(senior ? keep / 2 : keep)) return undefined;
  const forms = LATIN_SUFFIX[s] ?? (cyrillic ? CYRILLIC_SUFFIX[s] : undefined);
  return forms === undefined ? undefined : rng.pick(forms);
}
