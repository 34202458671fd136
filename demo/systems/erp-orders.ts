import { Rng, STREAM, uniformOf } from '../rng.ts';
import { isoTs, nightDay, yyyymmdd } from '../calendar.ts';
import { NEVER, type Person } from '../model.ts';
import { GOODS } from '../data/products.ts';
import { tableSpec, type Cell } from '../sinks/table-spec.ts';
import type { CustomerPlan } from './erp-customers.ts';

export const SALES_ORDERS = tableSpec('erp', 'sales_orders', 'order_no', [
  'order_no', 'customer_no', 'order_date:ts', 'product', 'quantity:int', 'amount:money', 'currency', 'channel', 'status', 'updated_at:ts',
]);

const ORDER_RATE = 0.012;
const HISTORY_DAYS = 365;
/** Orders settle (delivered or cancelled) within this many days; later nights look back this far. */
const SETTLE_DAYS = 6;

/**
 * Sales orders of an ERP customer: a chance per day, then processing → shipped → delivered (or
 * cancelled). Order numbers count the orders of a day across all customers in the pass order,
 * so `counters` must see every customer on every night for the same numbers to come out.
 */
export function ordersOf(seed: number, c: CustomerPlan, p: Person, night: number, counters: Map<number, number>, emit: (row: Cell[]) => void): void {
  const today = nightDay(night);
  const from = Math.max(c.createdDay + 1, today - (night === 1 ? HISTORY_DAYS : SETTLE_DAYS));
  const currency = p.market === 'US' ? 'USD' : 'RUB';
  for (let day = from; day <= today; day++) {
    if (uniformOf(seed, STREAM.erpOrderDay, p.index, day) >= ORDER_RATE * p.activity) continue;
    const rng = Rng.of(seed, STREAM.erpOrderDay, p.index, day, 1);
    const seq = (counters.get(day) ?? 0) + 1;
    counters.set(day, seq);
    const good = rng.pick(GOODS);
    const [lo, hi] = p.market === 'US' ? good.usd : good.rub;
    const qty = rng.chance(0.85) ? 1 : rng.int(2, 3);
    const unit = p.market === 'US' ? Math.floor(lo + rng.next() * (hi - lo)) + 0.99 : Math.round((lo + rng.next() * (hi - lo)) / 10) * 10;
    const channel = rng.weighted<string>([['web', c.webUserId !== null ? 60 : 5], ['phone', 20], ['store', 25], ['partner', 5]]);
    const placed = day * 86_400 + rng.int(8 * 3600, 22 * 3600);
    const cancelled = rng.chance(0.04);
    const shipDay = cancelled ? NEVER : day + rng.int(1, 2);
    const deliverDay = cancelled ? NEVER : shipDay + rng.int(1, 3);
    const cancelDay = cancelled ? day + 1 : NEVER;
    const steps: [number, string][] = [[day, 'processing'], [shipDay, 'shipped'], [deliverDay, 'delivered'], [cancelDay, 'cancelled']];
    let status = 'processing';
    let changedAt = placed;
    let changedToday = false;
    for (const [d, s] of steps) {
      if (d === NEVER || d > today) continue;
      if (d > day) {
        status = s;
        changedAt = d * 86_400 + 9 * 3600 + (seq % 600) * 13;
      }
      if (d === today && d > day) changedToday = true;
    }
    if (night === 1 || day === today || changedToday) {
      emit([`SO-${yyyymmdd(day)}-${String(seq).padStart(5, '0')}`, c.no, isoTs(placed), good.product, qty, (Math.round(unit * qty * 100) / 100).toFixed(2), currency, channel, status, isoTs(changedAt)]);
    }
  }
}
