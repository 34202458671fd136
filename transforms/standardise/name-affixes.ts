/**
 * Titles, suffixes, patronymics and surname particles, looked up by the
 * token lower-cased with dots removed ("Dr." → "dr", "Ph.D." → "phd").
 */

const TITLES: ReadonlyMap<string, string> = new Map([
  ['mr', 'Mr'],
  ['mister', 'Mr'],
  ['mrs', 'Mrs'],
  ['missus', 'Mrs'],
  ['ms', 'Ms'],
  ['miss', 'Miss'],
  ['mx', 'Mx'],
  ['dr', 'Dr'],
  ['doctor', 'Dr'],
  ['prof', 'Prof'],
  ['professor', 'Prof'],
  ['sir', 'Sir'],
  ['dame', 'Dame'],
  ['lord', 'Lord'],
  ['lady', 'Lady'],
  ['rev', 'Rev'],
  ['revd', 'Rev'],
  ['reverend', 'Rev'],
  ['fr', 'Fr'],
  ['hon', 'Hon'],
  ['capt', 'Capt'],
  ['captain', 'Capt'],
  ['col', 'Col'],
  ['maj', 'Maj'],
  ['gen', 'Gen'],
  ['lt', 'Lt'],
  ['sgt', 'Sgt'],
  ['mme', 'Mme'],
  ['mlle', 'Mlle'],
  ['herr', 'Herr'],
  ['frau', 'Frau'],
  ['г-н', 'г-н'],
  ['гн', 'г-н'],
  ['господин', 'г-н'],
  ['г-жа', 'г-жа'],
  ['гжа', 'г-жа'],
  ['госпожа', 'г-жа'],
  ['д-р', 'д-р'],
  ['доктор', 'д-р'],
  ['проф', 'проф'],
  ['профессор', 'проф'],
]);

const SUFFIXES: ReadonlyMap<string, string> = new Map([
  ['jr', 'Jr'],
  ['jnr', 'Jr'],
  ['junior', 'Jr'],
  ['sr', 'Sr'],
  ['snr', 'Sr'],
  ['senior', 'Sr'],
  ['ii', 'II'],
  ['iii', 'III'],
  ['iv', 'IV'],
  ['младший', 'мл.'],
  ['мл', 'мл.'],
  ['старший', 'ст.'],
  ['ст', 'ст.'],
  ['fils', 'fils'],
  ['père', 'père'],
  ['pere', 'père'],
  ['júnior', 'Jr'],
  ['filho', 'Jr'],
  ['neto', 'III'],
  ['phd', 'PhD'],
  ['md', 'MD'],
  ['dds', 'DDS'],
  ['esq', 'Esq'],
  ['cpa', 'CPA'],
  ['mba', 'MBA'],
]);

const PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'la',
  'le',
  'du',
  'di',
  'da',
  'del',
  'della',
  'dos',
  'das',
  'ten',
  'ter',
  'bin',
  'ibn',
  'al',
  'el',
  'st',
]);

/**
 * The generation a suffix names, as one key across languages: a son ("Jr", "II", "мл.",
 * "fils", "Filho") is `jr`, a father ("Sr", "ст.", "père") `sr`, then `iii`, `iv`. Two records
 * naming different generations are two people.
 */
const GENERATIONS: ReadonlyMap<string, string> = new Map([
  ['Jr', 'jr'],
  ['II', 'jr'],
  ['мл.', 'jr'],
  ['fils', 'jr'],
  ['Sr', 'sr'],
  ['ст.', 'sr'],
  ['père', 'sr'],
  ['III', 'iii'],
  ['IV', 'iv'],
]);

/** The generation key of a canonical suffix ("Jr" → "jr", "ст." → "sr"); null for PhD, MD… */
export function generationOf(suffix: string): string | null {
  return GENERATIONS.get(suffix) ?? null;
}

const DOTS = /\./g;

function affixKey(token: string): string {
  return token.toLowerCase().replace(DOTS, '');
}

/** Canonical title for a token ("DR." → "Dr", "г-жа" → "г-жа"); null if not a title. */
export function titleOf(token: string): string | null {
  return TITLES.get(affixKey(token)) ?? null;
}

/** Canonical suffix for a token ("jr." → "Jr", "Ph.D." → "PhD"); null if not a suffix. */
export function suffixOf(token: string): string | null {
  return SUFFIXES.get(affixKey(token)) ?? null;
}

/** Whether a lower-case token is a surname particle (van, de, von…). */
export function isParticle(token: string): boolean {
  return PARTICLES.has(affixKey(token));
}

const PATRONYMIC = /(?:ovich|evich|ovna|evna|ichna)$/;
const SHORT_PATRONYMICS: ReadonlySet<string> = new Set([
  'ilich',
  'ilyich',
  'kuzmich',
  'lukich',
  'fomich',
  'nikitich',
  'savvich',
  'fokich',
]);

/**
 * Whether a name key is a Russian patronymic: -ovich/-evich, -ovna/-evna,
 * -ichna/-inichna (Cyrillic -ович/-евич/-овна/-евна/-ична once
 * transliterated), or one of the short irregular ones (Ильич, Кузьмич).
 */
export function isPatronymic(key: string): boolean {
  return (key.length > 5 && PATRONYMIC.test(key)) || SHORT_PATRONYMICS.has(key);
}
