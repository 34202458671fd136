/** Cities, streets and phone area codes of the demo company's two markets. */
export interface UsCity {
  readonly city: string;
  readonly state: string;
  /** First three digits of the ZIP codes used. */
  readonly zip3: readonly string[];
  readonly areaCodes: readonly string[];
  readonly weight: number;
}

export const US_CITIES: readonly UsCity[] = [
  { city: 'New York', state: 'NY', zip3: ['100', '101', '102'], areaCodes: ['212', '646', '917'], weight: 20 },
  { city: 'Brooklyn', state: 'NY', zip3: ['112'], areaCodes: ['718', '347'], weight: 8 },
  { city: 'San Francisco', state: 'CA', zip3: ['941'], areaCodes: ['415', '628'], weight: 8 },
  { city: 'Boston', state: 'MA', zip3: ['021', '022'], areaCodes: ['617', '857'], weight: 8 },
  { city: 'Chicago', state: 'IL', zip3: ['606'], areaCodes: ['312', '773'], weight: 10 },
  { city: 'Seattle', state: 'WA', zip3: ['981'], areaCodes: ['206'], weight: 6 },
  { city: 'Austin', state: 'TX', zip3: ['787'], areaCodes: ['512', '737'], weight: 6 },
  { city: 'Denver', state: 'CO', zip3: ['802'], areaCodes: ['303', '720'], weight: 5 },
  { city: 'Los Angeles', state: 'CA', zip3: ['900'], areaCodes: ['213', '310', '323'], weight: 12 },
  { city: 'Miami', state: 'FL', zip3: ['331'], areaCodes: ['305', '786'], weight: 6 },
  { city: 'Atlanta', state: 'GA', zip3: ['303'], areaCodes: ['404', '678'], weight: 6 },
  { city: 'Philadelphia', state: 'PA', zip3: ['191'], areaCodes: ['215', '267'], weight: 6 },
];

/** Street names and types: [full, abbreviation]. */
export const US_STREET_NAMES: readonly string[] = [
  'Main', 'Oak', 'Maple', 'Washington', 'Park', 'Elm', 'Pine', 'Cedar', 'Lake', 'Hill', 'Sunset', 'Lincoln',
  'Jefferson', 'Madison', 'Franklin', 'Highland', 'Church', 'Mill', 'River', 'Spring', 'Center', 'Chestnut',
  'Walnut', 'Willow', 'Meadow', 'Forest', 'Ridge', 'Valley', 'Adams', 'Jackson', 'Lexington', 'Union',
  'Broad', 'Market', 'Prospect', 'Riverside', 'Harbor', 'Bay', 'Grand', 'Orchard', 'Beacon', 'Hudson',
];
export const US_STREET_TYPES: readonly (readonly [string, string])[] = [
  ['Street', 'St.'], ['Avenue', 'Ave'], ['Road', 'Rd'], ['Boulevard', 'Blvd'], ['Drive', 'Dr'], ['Lane', 'Ln'],
  ['Court', 'Ct'], ['Place', 'Pl'],
];

export interface RuCity {
  readonly city: string;
  /** Six-digit postcode prefixes (first three digits). */
  readonly post3: readonly string[];
  /** Landline area code (after +7). */
  readonly areaCode: string;
  readonly weight: number;
}

export const RU_CITIES: readonly RuCity[] = [
  { city: 'Москва', post3: ['101', '107', '109', '115', '117', '119', '123', '125', '127', '129'], areaCode: '495', weight: 45 },
  { city: 'Санкт-Петербург', post3: ['190', '191', '194', '196', '197', '198'], areaCode: '812', weight: 20 },
  { city: 'Казань', post3: ['420'], areaCode: '843', weight: 8 },
  { city: 'Новосибирск', post3: ['630'], areaCode: '383', weight: 8 },
  { city: 'Екатеринбург', post3: ['620'], areaCode: '343', weight: 9 },
  { city: 'Нижний Новгород', post3: ['603'], areaCode: '831', weight: 10 },
];

/** [street name, street type key] — the type decides how it is written. */
export const RU_STREETS: readonly (readonly [string, RuStreetType])[] = [
  ['Тверская', 'ul'], ['Ленина', 'ul'], ['Гагарина', 'ul'], ['Пушкина', 'ul'], ['Садовая', 'ul'], ['Советская', 'ul'],
  ['Лесная', 'ul'], ['Школьная', 'ul'], ['Молодёжная', 'ul'], ['Профсоюзная', 'ul'], ['Новая', 'ul'], ['Центральная', 'ul'],
  ['Мира', 'pr'], ['Ленинский', 'pr'], ['Кутузовский', 'pr'], ['Вернадского', 'pr'], ['Победы', 'pr'],
  ['Цветной', 'bul'], ['Тверской', 'bul'], ['Гоголевский', 'bul'], ['Кривоколенный', 'per'], ['Столешников', 'per'],
  ['Энтузиастов', 'sh'], ['Варшавское', 'sh'], ['Фонтанки', 'nab'], ['Космодамианская', 'nab'],
];

export type RuStreetType = 'ul' | 'pr' | 'bul' | 'per' | 'sh' | 'nab';

/** Ways each street type is written: [full, abbreviated, Latin abbreviation]. */
export const RU_STREET_TYPES: Readonly<Record<RuStreetType, readonly [string, string, string]>> = {
  ul: ['улица', 'ул.', 'ul.'],
  pr: ['проспект', 'пр-т', 'prosp.'],
  bul: ['бульвар', 'б-р', 'bul.'],
  per: ['переулок', 'пер.', 'per.'],
  sh: ['шоссе', 'ш.', 'sh.'],
  nab: ['набережная', 'наб.', 'nab.'],
};
