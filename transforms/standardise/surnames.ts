import { isKnownGivenName } from './nicknames.ts';

/**
 * Common family names in key form. Only used to flag records whose first
 * and last names look swapped, so a short list of frequent names does the
 * job; Russian entries are masculine, feminine forms are derived on lookup.
 */
const SURNAMES: ReadonlySet<string> = new Set([
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis',
  'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson',
  'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson',
  'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker',
  'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores',
  'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell',
  'carter', 'roberts', 'evans', 'turner', 'parker', 'collins', 'edwards', 'stewart',
  'morris', 'murphy', 'cook', 'rogers', 'morgan', 'cooper', 'peterson', 'reed',
  'bailey', 'bell', 'kelly', 'howard', 'ward', 'cox', 'richardson', 'wood', 'watson',
  'brooks', 'bennett', 'gray', 'hughes', 'price', 'sanders', 'myers', 'ross', 'foster',
  'ivanov', 'smirnov', 'kuznetsov', 'popov', 'vasilev', 'petrov', 'sokolov',
  'mikhaylov', 'novikov', 'fedorov', 'morozov', 'volkov', 'alekseev', 'lebedev',
  'semenov', 'egorov', 'pavlov', 'kozlov', 'stepanov', 'nikolaev', 'orlov', 'andreev',
  'makarov', 'nikitin', 'zakharov', 'zaytsev', 'solovev', 'borisov', 'yakovlev',
  'grigorev', 'romanov', 'vorobev', 'sergeev', 'kuzmin', 'frolov', 'aleksandrov',
  'dmitriev', 'korolev', 'gusev', 'kiselev', 'ilin', 'maksimov', 'polyakov',
  'sorokin', 'vinogradov', 'kovalev', 'belov', 'medvedev', 'antonov', 'tarasov',
  'zhukov', 'baranov', 'filippov', 'komarov', 'davydov', 'belyaev', 'gerasimov',
  'bogdanov', 'osipov', 'sidorov', 'matveev', 'titov', 'markov', 'mironov', 'krylov',
  'kulikov', 'karpov', 'vlasov', 'melnikov', 'denisov', 'gavrilov', 'tikhonov',
  'kazakov', 'afanasev', 'danilov', 'savelev', 'timofeev', 'fomin', 'chernov',
  'abramov', 'martynov', 'efimov', 'fedotov', 'shcherbakov', 'nazarov', 'kalinin',
  'isaev', 'chernyshev', 'bykov', 'maslov', 'rodionov', 'konovalov', 'lazarev',
  'voronin', 'klimov', 'filatov', 'ponomarev', 'golubev', 'kudryavtsev', 'prokhorov',
  'naumov', 'potapov', 'zhuravlev', 'ovchinnikov', 'trofimov', 'leonov', 'sobolev',
  'ermakov', 'kolesnikov', 'goncharov', 'emelyanov', 'nikiforov', 'grachev',
  'kotov', 'grishin', 'efremov', 'arkhipov', 'gromov', 'kirillov', 'malyshev',
  'panov', 'moiseev', 'rumyantsev', 'akimov', 'kondratev', 'biryukov', 'gorbunov',
  'anisimov', 'eremin', 'tikhomirov', 'galkin', 'lukyanov', 'mikheev', 'skvortsov',
  'yudin', 'belousov', 'nesterov', 'simonov', 'prokofev', 'kharitonov', 'knyazev',
  'tsvetkov', 'levin', 'mitrofanov', 'voronov', 'aksenov', 'sofronov', 'maltsev',
  'loginov', 'gorshkov', 'savin', 'krasnov', 'mayorov', 'demidov', 'eliseev',
  'rybakov', 'safonov', 'plotnikov', 'demin', 'khokhlov', 'fadeev', 'molchanov',
  'ignatov', 'litvinov', 'ershov', 'ushakov', 'dementev', 'ryabov', 'mukhin',
  'kalashnikov', 'leontev', 'lobanov', 'kuzin', 'korneev', 'evdokimov', 'borodin',
  'platonov', 'nekrasov', 'balashov', 'bobrov', 'zhdanov', 'blinov', 'ignatev',
  'korotkov', 'muravev', 'kryukov', 'belyakov', 'bogomolov', 'drozdov', 'lavrov',
  'zuev', 'petukhov', 'larin', 'nikulin', 'seleznev', 'pestov', 'shubin', 'pakhomov',
  'shilov', 'kovalenko', 'bondarenko', 'shevchenko', 'tkachenko', 'kravchenko',
  'pushkin', 'tolstoy', 'dostoevskiy', 'kowalski', 'novak',
]);

const RUSSIAN_FEMININE = /(?:ova|eva|ina|yna)$/;

/**
 * Whether a name key is a known family name, including Russian feminine
 * forms of listed names (ivanova, alekseeva, nikitina) and -skaya for -skiy.
 */
export function isKnownSurname(key: string): boolean {
  if (SURNAMES.has(key)) return true;
  if (RUSSIAN_FEMININE.test(key)) return SURNAMES.has(key.slice(0, -1));
  if (key.endsWith('skaya')) return SURNAMES.has(`${key.slice(0, -4)}iy`);
  return false;
}

const RUSSIAN_SURNAME_SHAPE = /(?:ov|ev|yov|in|yn|ova|eva|ina|yna|skiy|skii|sky|skaya|tskiy|enko|uk|yuk)$/;

/**
 * Whether a name key looks like a family name: a known one, or a Russian
 * or Ukrainian surname shape (-ov/-ev/-in, feminine -ova/-eva/-ina,
 * -skiy/-skaya, -enko) that is not also a known given name (Marina, Kevin).
 */
export function isLikelySurname(key: string): boolean {
  if (isKnownSurname(key)) return true;
  return key.length > 4 && RUSSIAN_SURNAME_SHAPE.test(key) && !isKnownGivenName(key);
}
