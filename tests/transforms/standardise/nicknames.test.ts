import { describe, expect, it } from 'vitest';
import {
  canonicalGivenName,
  ENGLISH_NICKNAME_GROUPS,
  isKnownGivenName,
  RUSSIAN_NICKNAME_GROUPS,
} from '../../../transforms/standardise/nicknames.ts';
import { nameKey } from '../../../transforms/standardise/transliterate.ts';

describe('canonicalGivenName', () => {
  it.each([
    ['bob', 'robert'],
    ['robbie', 'robert'],
    ['liam', 'william'],
    ['betty', 'elizabeth'],
    ['peggy', 'margaret'],
    ['cathy', 'katherine'],
    ['jimmy', 'james'],
    ['dick', 'richard'],
    ['alexander', 'aleksandr'],
    ['aleksander', 'aleksandr'],
    ['shura', 'aleksandr'],
    ['dmitry', 'dmitriy'],
    ['julia', 'yuliya'],
    ['yulia', 'yuliya'],
    ['sergei', 'sergey'],
    ['seryozha', 'sergey'],
    ['natalia', 'natalya'],
    ['volodya', 'vladimir'],
    ['nastya', 'anastasiya'],
    ['zhenya', 'evgeniy'],
    ['evgeniya', 'evgeniy'],
    ['unknownname', 'unknownname'],
  ])('puts %s in the group of %s', (variant, name) => {
    expect(canonicalGivenName(variant)).toBe(canonicalGivenName(name));
  });

  it.each([
    ['Саша', 'Александр'],
    ['Саша', 'Александра'],
    ['Дима', 'Dmitry'],
    ['Юля', 'Julia'],
    ['Серёжа', 'Sergei'],
    ['Маша', 'Maria'],
    ['Таня', 'Tatiana'],
    ['Коля', 'Nikolai'],
    ['Костя', 'Konstantin'],
    ['Аня', 'Anna'],
    ['Катя', 'Ekaterina'],
    ['Лена', 'Yelena'],
    ['Паша', 'Pavel'],
    ['Оля', 'Olga'],
    ['Ваня', 'Ivan'],
    ['Вова', 'Владимир'],
  ])('puts Cyrillic %s and %s in one group through transliteration', (a, b) => {
    expect(canonicalGivenName(nameKey(a))).toBe(canonicalGivenName(nameKey(b)));
  });

  it('does not merge different names that only look alike', () => {
    expect(canonicalGivenName('john')).not.toBe(canonicalGivenName('jonathan'));
    expect(canonicalGivenName('aleksey')).not.toBe(canonicalGivenName('aleksandr'));
  });
});

describe('isKnownGivenName', () => {
  it.each([
    ['peggy', true],
    ['katya', true],
    ['aleksandr', true],
    ['smith', false],
    ['ivanov', false],
    ['', false],
  ])('%s → %s', (key, known) => {
    expect(isKnownGivenName(key)).toBe(known);
  });
});

describe('nickname table', () => {
  const all = [...ENGLISH_NICKNAME_GROUPS, ...RUSSIAN_NICKNAME_GROUPS];

  it('has at least 120 English and 60 Russian groups', () => {
    expect(ENGLISH_NICKNAME_GROUPS.length).toBeGreaterThanOrEqual(120);
    expect(RUSSIAN_NICKNAME_GROUPS.length).toBeGreaterThanOrEqual(60);
  });

  it('lists every variant in exactly one group', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const group of all) {
      for (const variant of group) {
        const other = seen.get(variant);
        if (other !== undefined) clashes.push(`${variant}: ${other} / ${group[0]}`);
        seen.set(variant, group[0]!);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('holds only name keys (lower-case ASCII letters)', () => {
    const bad = all
      .flat()
      .filter((variant) => nameKey(variant) !== variant || variant.length === 0);
    expect(bad).toEqual([]);
  });
});

describe('names in two languages', () => {
  it.each([
    ['gregory', 'Григорий'],
    ['eugene', 'Евгений'],
    ['paul', 'Павел'],
    ['greg', 'Гриша'],
  ])('puts %s and %s in one group', (a, b) => {
    expect(canonicalGivenName(nameKey(a))).toBe(canonicalGivenName(nameKey(b)));
  });

  it('keeps names of one language apart that a joined group does not hold', () => {
    expect(canonicalGivenName('gregory')).not.toBe(canonicalGivenName('george'));
    expect(canonicalGivenName('pavel')).not.toBe(canonicalGivenName('peter'));
  });
});
