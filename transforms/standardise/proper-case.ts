const WORD_START = /(^|[\s\-'’])(\p{L})/gu;
const MC = /^(Mc)(\p{Ll})/u;
const CAMEL = /^\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)+$/u;

/**
 * Proper-cases one name token in any script: "IVANOV" → "Ivanov",
 * "o'brien" → "O'Brien", "smith-JONES" → "Smith-Jones", "mcdonald" →
 * "McDonald". A token the source already wrote in camel case ("DeShawn",
 * "MacArthur", "LeBlanc") is kept, because no rule recovers those capitals
 * once they are lost.
 */
export function properCase(token: string): string {
  if (CAMEL.test(token)) return token;
  const cased = token
    .toLowerCase()
    .replace(WORD_START, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return cased.replace(MC, (_m, mc: string, ch: string) => mc + ch.toUpperCase());
}
