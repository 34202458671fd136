/**
 * Romanisation used for every matching key in cdw.
 *
 * Scheme (one for all keys, so keys from different sources compare equal):
 * a practical BGN/PCGN-style romanisation of Russian without diacritics —
 * а a, б b, в v, г g, д d, е e, ё e, ж zh, з z, и i, й y, к k, л l, м m,
 * н n, о o, п p, р r, с s, т t, у u, ф f, х kh, ц ts, ч ch, ш sh, щ shch,
 * ъ and ь dropped, ы y, э e, ю yu, я ya. Ukrainian/Belarusian і i, ї yi,
 * є ye, ґ g, ў u. So Александр → Aleksandr, Щукин → Shchukin,
 * Юлия → Yuliya, Ёлкин → Elkin. Unlike full BGN/PCGN, е and ё are always
 * "e" (never "ye"/"yo"), because that is what Russian passports and most
 * source systems write; the nickname table carries the other spellings.
 *
 * Latin letters lose their diacritics (NFD, marks removed) and a few
 * letters without a decomposition are spelt out: ß ss, ø o, ł l, æ ae,
 * œ oe, đ/ð d, þ th, ı i.
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
  ѓ: 'g',
  ќ: 'k',
  ѕ: 'dz',
};

const SPECIAL_LATIN: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  ø: 'o',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
};

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARK = /[\u0300-\u036f]/g;

/** Romanises one lower-case non-ASCII character; '' when it has no Latin form. */
function romaniseLower(ch: string): string {
  const cyr = CYRILLIC[ch];
  if (cyr !== undefined) return cyr;
  const special = SPECIAL_LATIN[ch];
  if (special !== undefined) return special;
  return ch.normalize('NFD').replace(COMBINING_MARK, '');
}

function isUpperLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase();
}

/**
 * Transliterates Cyrillic to Latin and folds Latin diacritics to ASCII,
 * keeping case, digits, spaces and punctuation ("Щукин-Ёлкин" →
 * "Shchukin-Elkin", "ЩУКИН" → "SHCHUKIN", "José" → "Jose").
 * Characters with no Latin form (CJK, symbols) are kept as they are.
 */
export function transliterate(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const s = text.normalize('NFC');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const lower = ch.toLowerCase();
    const latin = romaniseLower(lower);
    if (latin.length === 0 || lower === ch) {
      out += latin;
    } else if (latin.length > 1 && (isUpperLetter(s[i + 1]) || isUpperLetter(s[i - 1]))) {
      out += latin.toUpperCase();
    } else {
      out += latin[0]!.toUpperCase() + latin.slice(1);
    }
  }
  return out;
}

/**
 * The comparison key of a name or word: transliterated, lower-case ASCII
 * letters only — no spaces, digits or punctuation ("O'Brien-Smith" →
 * "obriensmith", "Ёлкин" → "elkin"). Empty string when nothing is left.
 */
export function nameKey(text: string): string {
  const s = NON_ASCII.test(text) ? text.normalize('NFC').toLowerCase() : text.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 97 && code <= 122) {
      out += s[i];
    } else if (code >= 0x80) {
      const latin = romaniseLower(s[i]!);
      for (let j = 0; j < latin.length; j++) {
        const c = latin.charCodeAt(j);
        if (c >= 97 && c <= 122) out += latin[j];
      }
    }
  }
  return out;
}

/**
 * Like {@link nameKey} but keeps digits and single spaces between words:
 * the form address keys are built from ("Ул. Ленина, 5" → "ul lenina 5").
 */
export function wordsKey(text: string): string {
  const s = NON_ASCII.test(text) ? text.normalize('NFC').toLowerCase() : text.toLowerCase();
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    let piece: string;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      piece = s[i]!;
    } else if (code >= 0x80) {
      const latin = romaniseLower(s[i]!);
      if (latin.length === 0) continue; // ъ and ь sit inside words
      piece = '';
      for (let j = 0; j < latin.length; j++) {
        const c = latin.charCodeAt(j);
        if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) piece += latin[j];
      }
      if (piece.length === 0) {
        pendingSpace = out.length > 0;
        continue;
      }
    } else {
      if (code === 39) continue; // apostrophes join: O'Neil → oneil
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += piece;
  }
  return out;
}

/**
 * The same romanisation of Cyrillic as SQL over `expr` (nested `replace` from the table above,
 * capitals first: "Щукин" → "Shchukin"), for set-based work in DuckDB without the UDF —
 * golden names in one script, `city_key` in the marts. Latin letters are left as they are.
 */
export function cyrillicToLatinSql(expr: string): string {
  let sql = expr;
  for (const [cyr, latin] of Object.entries(CYRILLIC)) {
    const upper = cyr.toUpperCase();
    const cap = latin.length === 0 ? '' : latin[0]!.toUpperCase() + latin.slice(1);
    if (upper !== cyr) sql = `replace(${sql}, '${upper}', '${cap}')`;
    sql = `replace(${sql}, '${cyr}', '${latin}')`;
  }
  return sql;
}

/** SQL: whether `expr` has a Cyrillic letter. */
export function hasCyrillicSql(expr: string): string {
  return `regexp_matches(${expr}, '[\\x{0400}-\\x{04FF}]')`;
}
