import { Rng, STREAM } from '../rng.ts';
import { ruTs, usTs, yyyymmdd } from '../calendar.ts';
import { RU_STORES, US_STORES } from '../data/products.ts';
import type { Market } from '../model.ts';
import type { CsvFile } from '../sinks/csv-text.ts';

export const RU_SALES_COLUMNS = ['receipt_no', 'store', 'till', 'sold_at', 'card_no', 'amount', 'currency', 'items', 'payment_type'];
export const US_SALES_COLUMNS = ['receipt_id', 'store_id', 'register', 'timestamp', 'loyalty_card', 'total', 'currency', 'item_count', 'tender'];

/** Receipts of both store chains for one night, numbered per store. */
export class PosSales {
  private readonly seq = new Map<string, number>();

  constructor(
    private readonly day: number,
    private readonly ru: CsvFile,
    private readonly us: CsvFile,
  ) {}

  /** One sale at a till of the market's chain; `card` when the customer showed a loyalty card. */
  sale(rng: Rng, market: Market, card: string | null): void {
    const stores = market === 'RU' ? RU_STORES : US_STORES;
    const store = rng.pick(stores);
    const n = (this.seq.get(store) ?? 0) + 1;
    this.seq.set(store, n);
    const items = rng.chance(0.6) ? rng.int(1, 3) : rng.int(4, 15);
    const time = this.day * 86_400 + rng.int(9 * 3600, 21 * 3600 + 59 * 60);
    const till = rng.int(1, 6);
    if (market === 'RU') {
      const amount = (Math.round(items * (80 + rng.next() * 900) * 100) / 100).toFixed(2).replace('.', ',');
      this.ru.write([`${store}-${yyyymmdd(this.day)}-${String(n).padStart(5, '0')}`, store, till, ruTs(time), card, amount, 'RUB', items, rng.pick(['карта', 'карта', 'наличные', 'СБП'])]);
    } else {
      const amount = (Math.round(items * (2 + rng.next() * 30) * 100) / 100).toFixed(2);
      this.us.write([`${store}-${yyyymmdd(this.day)}-${String(n).padStart(5, '0')}`, store, till, usTs(time), card, amount, 'USD', items, rng.pick(['card', 'card', 'cash', 'mobile'])]);
    }
  }

  /** Sales of people without a loyalty card. */
  anonymous(seed: number, night: number, count: number): void {
    const rng = Rng.of(seed, STREAM.posAnon, night);
    for (let i = 0; i < count; i++) this.sale(rng, rng.chance(0.4) ? 'RU' : 'US', null);
  }
}
