import { describe, expect, it } from 'vitest';
import {
  standardiseName,
  type NameInput,
  type NameOptions,
  type StandardName,
} from '../../../transforms/standardise/names.ts';

type Expected = Omit<StandardName, 'swapped_suspect'> & { swapped_suspect?: boolean };

function row(
  first: string | null,
  middle: string | null,
  last: string | null,
  keys: [string | null, string | null, string | null],
  extra: Partial<Expected> = {},
): Expected {
  return {
    first,
    middle,
    last,
    title: null,
    suffix: null,
    generation: null,
    first_key: keys[0],
    last_key: keys[1],
    full_key: keys[2],
    ...extra,
  };
}

describe('standardiseName', () => {
  it.each<[string, NameInput, NameOptions, Expected]>([
    [
      'reads a comma as surname first',
      { full_name: 'Smith, John A.' },
      {},
      row('John', 'A', 'Smith', ['john', 'smith', 'johnsmith']),
    ],
    [
      'takes a title and a suffix off an English full name',
      { full_name: 'Dr. John A. Smith Jr.' },
      {},
      row('John', 'A', 'Smith', ['john', 'smith', 'johnsmith'], {
        title: 'Dr',
        suffix: 'Jr',
        generation: 'jr',
      }),
    ],
    [
      'reads Russian order with patronymic',
      { full_name: 'Иванов Иван Иванович' },
      {},
      row('Иван', 'Иванович', 'Иванов', ['ivan', 'ivanov', 'ivanivanov']),
    ],
    [
      'reads a transliterated patronymic in Russian order',
      { full_name: 'Ivanov Ivan Ivanovich' },
      {},
      row('Ivan', 'Ivanovich', 'Ivanov', ['ivan', 'ivanov', 'ivanivanov']),
    ],
    [
      'reads given-patronymic-surname order',
      { full_name: 'Анна Сергеевна Петрова' },
      {},
      row('Анна', 'Сергеевна', 'Петрова', ['anna', 'petrova', 'annapetrova']),
    ],
    [
      'keeps given-then-surname for a Latin two-word name',
      { full_name: 'Ivan Petrov' },
      {},
      row('Ivan', null, 'Petrov', ['ivan', 'petrov', 'ivanpetrov']),
    ],
    [
      'reads a Cyrillic two-word name surname first when it looks that way',
      { full_name: 'Петров Иван' },
      {},
      row('Иван', null, 'Петров', ['ivan', 'petrov', 'ivanpetrov']),
    ],
    [
      'reads a Latin surname-first name with locale ru',
      { full_name: 'Petrov Ivan' },
      { locale: 'ru' },
      row('Ivan', null, 'Petrov', ['ivan', 'petrov', 'ivanpetrov']),
    ],
    [
      'flags a Latin surname-first name without locale ru',
      { full_name: 'Petrov Ivan' },
      {},
      row('Petrov', null, 'Ivan', ['petrov', 'ivan', 'petrovivan'], { swapped_suspect: true }),
    ],
    [
      'transliterates keys with the documented scheme',
      { full_name: 'Щукин Александр' },
      {},
      row('Александр', null, 'Щукин', ['aleksandr', 'shchukin', 'aleksandrshchukin']),
    ],
    [
      'writes ё and я in keys as e and ya',
      { full_name: 'Ёлкина Юлия Сергеевна' },
      {},
      row('Юлия', 'Сергеевна', 'Ёлкина', ['yuliya', 'elkina', 'yuliyaelkina']),
    ],
    [
      'reads a short irregular patronymic and a Russian title',
      { full_name: 'г-н Сидоров Пётр Ильич' },
      {},
      row('Пётр', 'Ильич', 'Сидоров', ['petr', 'sidorov', 'petrsidorov'], { title: 'г-н' }),
    ],
    [
      'proper-cases, collapses spaces and keeps apostrophes',
      { full_name: "  mary   ann  O'BRIEN " },
      {},
      row('Mary', 'Ann', "O'Brien", ['mary', 'obrien', 'maryobrien']),
    ],
    [
      'keeps diacritics in names but folds them in keys',
      { full_name: 'Jürgen Müller-Weiß' },
      {},
      row('Jürgen', null, 'Müller-Weiß', ['jurgen', 'mullerweiss', 'jurgenmullerweiss']),
    ],
    [
      'folds letters without a decomposition',
      { full_name: 'Øyvind Łukasz' },
      {},
      row('Øyvind', null, 'Łukasz', ['oyvind', 'lukasz', 'oyvindlukasz']),
    ],
    [
      'keeps a surname particle with the surname, lower-cased',
      { full_name: 'LUDWIG VAN BEETHOVEN' },
      {},
      row('Ludwig', null, 'van Beethoven', ['ludwig', 'vanbeethoven', 'ludwigvanbeethoven']),
    ],
    [
      'drops a quoted nickname and reads a dotted suffix',
      { full_name: 'Robert "Bob" Smith, Ph.D.' },
      {},
      row('Robert', null, 'Smith', ['robert', 'smith', 'robertsmith'], { suffix: 'PhD' }),
    ],
    [
      'reads a suffix after a comma as a suffix, not a given name',
      { full_name: 'John Smith, Jr.' },
      {},
      row('John', null, 'Smith', ['john', 'smith', 'johnsmith'], {
        suffix: 'Jr',
        generation: 'jr',
      }),
    ],
    [
      'reads a surname followed by an initial as surname first',
      { full_name: 'PEMFORD L' },
      {},
      row('L', null, 'Pemford', ['l', 'pemford', 'lpemford']),
    ],
    [
      'reads a Russian surname with initials as surname first',
      { full_name: 'Иванов И.И.' },
      {},
      row('И', 'И', 'Иванов', ['i', 'ivanov', 'iivanov']),
    ],
    [
      'keeps a given name followed by a middle initial given-first',
      { full_name: 'John A' },
      {},
      row('John', null, 'A', ['john', 'a', 'johna']),
    ],
    [
      'splits run-together initials',
      { full_name: 'J.A. Smith' },
      {},
      row('J', 'A', 'Smith', ['j', 'smith', 'jsmith']),
    ],
    [
      'treats a lone unknown word as a surname',
      { full_name: 'Mr. Smith' },
      {},
      row(null, null, 'Smith', [null, 'smith', 'smith'], { title: 'Mr' }),
    ],
    [
      'treats a lone known given name as a first name',
      { full_name: 'Natasha' },
      {},
      row('Natasha', null, null, ['natasha', null, 'natasha']),
    ],
    [
      'keeps camel-case capitals and restores Mc',
      { full_name: 'DeShawn mcdonald' },
      {},
      row('DeShawn', null, 'McDonald', ['deshawn', 'mcdonald', 'deshawnmcdonald']),
    ],
    [
      'standardises separate fields: title, middle initial, suffix',
      { title: 'MR.', first_name: 'JOHN A.', last_name: 'SMITH III' },
      {},
      row('John', 'A', 'Smith', ['john', 'smith', 'johnsmith'], {
        title: 'Mr',
        suffix: 'III',
        generation: 'iii',
      }),
    ],
    [
      'moves a patronymic typed into the first-name field to middle',
      { first_name: 'Мария Ивановна', last_name: 'Кузнецова' },
      {},
      row('Мария', 'Ивановна', 'Кузнецова', ['mariya', 'kuznetsova', 'mariyakuznetsova']),
    ],
    [
      'parses a whole name typed into the last-name field',
      { last_name: 'Иванов Иван Иванович' },
      {},
      row('Иван', 'Иванович', 'Иванов', ['ivan', 'ivanov', 'ivanivanov']),
    ],
    [
      'parses a whole name in the last-name field when first is blank',
      { first_name: '  ', last_name: 'Smith, John' },
      {},
      row('John', null, 'Smith', ['john', 'smith', 'johnsmith']),
    ],
    [
      'flags an English surname in the first-name field',
      { first_name: 'Smith', last_name: 'John' },
      {},
      row('Smith', null, 'John', ['smith', 'john', 'smithjohn'], { swapped_suspect: true }),
    ],
    [
      'flags a feminine Russian surname in the first-name field',
      { first_name: 'Иванова', last_name: 'Мария' },
      {},
      row('Иванова', null, 'Мария', ['ivanova', 'mariya', 'ivanovamariya'], {
        swapped_suspect: true,
      }),
    ],
    [
      'does not flag a given name that is also a surname',
      { first_name: 'Thomas', last_name: 'James' },
      {},
      row('Thomas', null, 'James', ['thomas', 'james', 'thomasjames']),
    ],
    [
      'returns all nulls for an empty record',
      { full_name: '   ', first_name: null },
      {},
      row(null, null, null, [null, null, null]),
    ],
  ])('%s', (_behaviour, input, opts, expected) => {
    expect(standardiseName(input, opts)).toEqual({ swapped_suspect: false, ...expected });
  });
});
