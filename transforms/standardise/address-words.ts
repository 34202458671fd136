/**
 * Address words and their canonical abbreviations, keyed by the word in
 * lower case without dots. English follows USPS Publication 28 (Street →
 * st, Avenue → ave, Apartment/Unit/Flat/# → apt, North → n); Russian
 * follows the Russian Post short forms (улица → ул, проспект → пр,
 * дом → д, квартира → кв).
 */
export const STREET_TYPES: ReadonlyMap<string, string> = new Map([
  ['street', 'st'], ['str', 'st'], ['st', 'st'], ['avenue', 'ave'], ['av', 'ave'],
  ['ave', 'ave'], ['aven', 'ave'], ['road', 'rd'], ['rd', 'rd'], ['drive', 'dr'],
  ['dr', 'dr'], ['drv', 'dr'], ['lane', 'ln'], ['ln', 'ln'], ['boulevard', 'blvd'],
  ['blvd', 'blvd'], ['boul', 'blvd'], ['court', 'ct'], ['ct', 'ct'], ['place', 'pl'],
  ['pl', 'pl'], ['square', 'sq'], ['sq', 'sq'], ['terrace', 'ter'], ['ter', 'ter'],
  ['highway', 'hwy'], ['hwy', 'hwy'], ['parkway', 'pkwy'], ['pkwy', 'pkwy'],
  ['circle', 'cir'], ['cir', 'cir'], ['crescent', 'cres'], ['cres', 'cres'],
  ['close', 'cl'], ['way', 'way'], ['trail', 'trl'], ['trl', 'trl'], ['alley', 'aly'],
  ['expressway', 'expy'], ['freeway', 'fwy'], ['turnpike', 'tpke'], ['grove', 'grv'],
  ['gardens', 'gdns'], ['park', 'park'], ['row', 'row'], ['mews', 'mews'],
  // Russian street types
  ['улица', 'ул'], ['ул', 'ул'], ['проспект', 'пр'], ['пр-т', 'пр'], ['просп', 'пр'],
  ['пр', 'пр'], ['переулок', 'пер'], ['пер', 'пер'], ['бульвар', 'б-р'], ['б-р', 'б-р'],
  ['бул', 'б-р'], ['шоссе', 'ш'], ['ш', 'ш'], ['площадь', 'пл'], ['пл', 'пл'],
  ['набережная', 'наб'], ['наб', 'наб'], ['проезд', 'пр-д'], ['пр-д', 'пр-д'],
  ['тупик', 'туп'], ['туп', 'туп'], ['аллея', 'ал'], ['микрорайон', 'мкр'],
  ['мкр', 'мкр'], ['мкрн', 'мкр'], ['мкр-н', 'мкр'],
  // Russian street types written in Latin letters (one system's "prosp." is another's "пр-т")
  ['ulitsa', 'ул'], ['ul', 'ул'], ['prospekt', 'пр'], ['prosp', 'пр'], ['pr-t', 'пр'],
  ['pereulok', 'пер'], ['per', 'пер'], ['bulvar', 'б-р'], ['bul', 'б-р'], ['b-r', 'б-р'], ['shosse', 'ш'],
  ['ploshchad', 'пл'], ['naberezhnaya', 'наб'], ['nab', 'наб'], ['proezd', 'пр-д'],
  ['mikrorayon', 'мкр'],
]);

/** Words that introduce a unit, building or house number. */
export const UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['apartment', 'apt'], ['apt', 'apt'], ['unit', 'apt'], ['flat', 'apt'], ['#', 'apt'],
  ['suite', 'ste'], ['ste', 'ste'], ['building', 'bldg'], ['bldg', 'bldg'],
  ['floor', 'fl'], ['fl', 'fl'], ['room', 'rm'], ['rm', 'rm'], ['po', 'po'],
  ['box', 'box'],
  ['дом', 'д'], ['д', 'д'], ['квартира', 'кв'], ['кв', 'кв'], ['корпус', 'корп'],
  ['корп', 'корп'], ['к', 'корп'], ['строение', 'стр'], ['стр', 'стр'], ['офис', 'оф'],
  ['оф', 'оф'], ['комната', 'комн'], ['комн', 'комн'], ['подъезд', 'под'],
  ['этаж', 'эт'], ['эт', 'эт'], ['литера', 'лит'], ['лит', 'лит'],
  ['dom', 'д'], ['kvartira', 'кв'], ['kv', 'кв'], ['korpus', 'корп'], ['korp', 'корп'],
]);

export const DIRECTIONS: ReadonlyMap<string, string> = new Map([
  ['north', 'n'], ['south', 's'], ['east', 'e'], ['west', 'w'], ['northeast', 'ne'],
  ['northwest', 'nw'], ['southeast', 'se'], ['southwest', 'sw'],
]);

/**
 * Words that name a settlement; a comma part starting with one (and not
 * followed by a number, which would make "с" a building) is the city.
 */
export const CITY_WORDS: ReadonlySet<string> = new Set([
  'г', 'город', 'гор', 'пос', 'поселок', 'посёлок', 'пгт', 'с', 'село', 'дер', 'деревня',
]);

/** Words that name a region or district; such comma parts leave the line. */
export const REGION_WORDS: ReadonlySet<string> = new Set([
  'обл', 'область', 'край', 'р-н', 'район', 'респ', 'республика', 'ао',
]);
