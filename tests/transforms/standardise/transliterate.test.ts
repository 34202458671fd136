import { describe, expect, it } from 'vitest';
import { nameKey, transliterate, wordsKey } from '../../../transforms/standardise/transliterate.ts';

describe('transliterate', () => {
  it.each([
    ['Александр', 'Aleksandr'],
    ['Щукин', 'Shchukin'],
    ['Юлия', 'Yuliya'],
    ['Ёлкин', 'Elkin'],
    ['ЩУКИН', 'SHCHUKIN'],
    ['Подъячев-Хрущёв', 'Podyachev-Khrushchev'],
    ['Наталья Ильинична', 'Natalya Ilinichna'],
    ['Цветаева, д. 5', 'Tsvetaeva, d. 5'],
    ['Їжак Євген', 'Yizhak Yevgen'],
    ['José Ñúñez', 'Jose Nunez'],
    ['Straße', 'Strasse'],
    ['plain ascii', 'plain ascii'],
  ])('%s → %s', (input, expected) => {
    expect(transliterate(input)).toBe(expected);
  });
});

describe('nameKey', () => {
  it.each([
    ["O'Brien-Smith", 'obriensmith'],
    ['Ёлкин', 'elkin'],
    ['  Дмитрий  ', 'dmitriy'],
    ['Zoë', 'zoe'],
    ['Łódź', 'lodz'],
    ['Ærø', 'aero'],
    // NFD input (decomposed й) must give the same key as NFC
    ['Андрей'.normalize('NFD'), 'andrey'],
    ['123 !!', ''],
  ])('%s → %s', (input, expected) => {
    expect(nameKey(input)).toBe(expected);
  });
});

describe('wordsKey', () => {
  it.each([
    ['Ул. Ленина, 5', 'ul lenina 5'],
    ['12 Main St.  #4', '12 main st 4'],
    ['Подъезд № 3', 'podezd 3'],
  ])('%s → %s', (input, expected) => {
    expect(wordsKey(input)).toBe(expected);
  });
});
