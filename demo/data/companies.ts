import type { Rng } from '../rng.ts';
import { translit } from '../translit.ts';

/** E-mail providers and employers (for corporate e-mail and the ERP's company field). */
export const US_FREE_MAIL: readonly (readonly [string, number])[] = [
  ['gmail.com', 40], ['yahoo.com', 15], ['outlook.com', 10], ['hotmail.com', 10], ['icloud.com', 8], ['aol.com', 4], ['comcast.net', 3],
];
export const RU_FREE_MAIL: readonly (readonly [string, number])[] = [
  ['mail.ru', 30], ['yandex.ru', 30], ['gmail.com', 15], ['rambler.ru', 8], ['bk.ru', 6], ['list.ru', 5], ['inbox.ru', 4],
];

export interface Company {
  readonly name: string;
  readonly domain: string;
}

const US_A = ['Acme', 'Northwind', 'Blue Harbor', 'Summit', 'Granite Peak', 'Brightline', 'Pioneer', 'Lakeside', 'Redwood',
  'Silver Oak', 'Keystone', 'Evergreen', 'Sterling', 'Horizon', 'Cobalt', 'Riverbend', 'Ironwood', 'Crescent', 'Liberty', 'Cascade'];
const US_B = ['Logistics', 'Traders', 'Capital', 'Health', 'Construction', 'Software', 'Foods', 'Dental Group', 'Analytics',
  'Realty', 'Legal LLP', 'Media', 'Energy', 'Consulting', 'Manufacturing'];
const RU_A = ['Ромашка', 'Северный ветер', 'ТехноСфера', 'Волга', 'Мегастрой', 'Альфа', 'Восток', 'Урал', 'Нева', 'Гранит', 'Сибирь', 'Балтика'];
const RU_B = ['Инвест', 'Логистик', 'Строй', 'Трейд', 'Сервис', 'Медиа', 'Софт'];
const RU_FORMS = ['ООО', 'ООО', 'АО', 'ПАО'];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** An employer; a few names carry a comma, as real company names do. */
export function randomCompany(rng: Rng, market: 'US' | 'RU'): Company {
  if (market === 'US') {
    if (rng.chance(0.03)) return { name: 'Smith, Jones & Co', domain: 'smithjones.com' };
    const a = rng.pick(US_A);
    const b = rng.pick(US_B);
    return { name: `${a} ${b}`, domain: `${slug(a)}${slug(b.split(' ')[0]!)}.com` };
  }
  const a = rng.pick(RU_A);
  const b = rng.pick(RU_B);
  return { name: `${rng.pick(RU_FORMS)} «${a}-${b}»`, domain: `${slug(translit(a))}-${slug(translit(b))}.ru` };
}
