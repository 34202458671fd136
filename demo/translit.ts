/**
 * Latin spellings of Russian names as different systems write them. Real sources disagree:
 * a billing system may hold "Iuliia" (passport, ICAO 9303), another "Yuliya" (BGN-style), a
 * third "Yulia". The demo uses all three so matching has to cope.
 */
export type TranslitScheme = 'bgn' | 'icao' | 'popular';

const BASE: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
const ICAO: Readonly<Record<string, string>> = { ...BASE, й: 'i', ю: 'iu', я: 'ia', ъ: 'ie' };
const POPULAR: Readonly<Record<string, string>> = { ...BASE, ё: 'yo' };

function table(scheme: TranslitScheme): Readonly<Record<string, string>> {
  return scheme === 'icao' ? ICAO : scheme === 'popular' ? POPULAR : BASE;
}

/** Romanises Cyrillic text; other characters pass through. Keeps capitalisation of words. */
export function translit(text: string, scheme: TranslitScheme = 'bgn'): string {
  let src = text;
  if (scheme === 'popular') src = src.replace(/ий\b/g, 'y').replace(/ИЙ\b/g, 'Y').replace(/ья/g, 'ia');
  const t = table(scheme);
  let out = '';
  for (const ch of src) {
    const lower = ch.toLowerCase();
    const r = t[lower];
    if (r === undefined) out += ch;
    else if (ch !== lower) out += r.length > 0 ? r[0]!.toUpperCase() + r.slice(1) : r;
    else out += r;
  }
  return out;
}
