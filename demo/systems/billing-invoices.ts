import { Rng, STREAM } from '../rng.ts';
import { civilFromDays, daysFromCivil, isoDate, isoTs, nightDay, yyyymm } from '../calendar.ts';
import { NEVER, type Person } from '../model.ts';
import { SUBSCRIPTIONS } from '../data/products.ts';
import { tableSpec, type Cell } from '../sinks/table-spec.ts';
import type { AccountPlan } from './billing-accounts.ts';

export const INVOICES = tableSpec('billing', 'invoices', 'invoice_id', [
  'invoice_id', 'account_id:int', 'product', 'amount:money', 'currency', 'status', 'issued_at:ts', 'due_date:date', 'updated_at:ts',
]);
export const PAYMENTS = tableSpec('billing', 'payments', 'payment_id', [
  'payment_id', 'invoice_id', 'account_id:int', 'amount:money', 'currency', 'method', 'paid_at:ts', 'updated_at:ts',
]);

/** Months of invoices already in billing on the first night. */
export const HISTORY_DAYS = 183;
const DUE_DAYS = 14;
/** Longest a payment takes; later nights look back this far for invoices that change. */
const LOOKBACK_DAYS = 40;

export interface BillingEmit {
  invoice(row: Cell[]): void;
  payment(row: Cell[]): void;
}

function lastDayOfActivity(a: AccountPlan, p: Person): number {
  let end = a.closedDay;
  if (a.slot === 0 && p.closeNight !== NEVER) end = Math.min(end, nightDay(p.closeNight));
  if (a.slot === 0 && p.deceasedNight !== NEVER) end = Math.min(end, nightDay(p.deceasedNight));
  return end;
}

/**
 * Monthly invoices of an account's subscriptions on its billing day, each paid some days
 * later (or left overdue). The first night writes the history; later nights write invoices
 * issued that day, invoices whose status changed that day, and that day's payments.
 */
export function billAccount(seed: number, a: AccountPlan, p: Person, night: number, emit: BillingEmit): void {
  const today = nightDay(night);
  const first = night === 1 ? Math.max(a.createdDay + 1, today - HISTORY_DAYS) : Math.max(a.createdDay + 1, today - LOOKBACK_DAYS);
  const last = Math.min(today, lastDayOfActivity(a, p));
  if (first > last) return;
  const currency = p.market === 'US' ? 'USD' : 'RUB';
  const start = civilFromDays(first);
  let y = start.y;
  let m = start.m;
  for (;;) {
    const issueDay = daysFromCivil(y, m, Math.min(a.billingDay, 28));
    if (issueDay > last) break;
    if (issueDay >= first) {
      a.products.forEach((j, i) => {
        const rng = Rng.of(seed, STREAM.invoice, a.id, issueDay, j);
        const sub = SUBSCRIPTIONS[j]!;
        const base = a.prices[i]!;
        const amount = Math.round(base * (1 + sub.usage * (rng.next() - 0.3)) * 100) / 100;
        const payDay = rng.chance(0.94) ? issueDay + rng.int(0, 20) : NEVER;
        const overdueDay = payDay > issueDay + DUE_DAYS ? issueDay + DUE_DAYS + 1 : NEVER;
        const issuedAt = issueDay * 86_400 + 2 * 3600 + rng.int(0, 3599);
        const paidAt = payDay === NEVER ? NEVER : payDay * 86_400 + rng.int(7 * 3600, 23 * 3600);
        const overdueAt = overdueDay === NEVER ? NEVER : overdueDay * 86_400 + 3 * 3600;
        const method = rng.weighted<string>(p.market === 'US' ? [['card', 60], ['bank_transfer', 25], ['direct_debit', 15]] : [['card', 55], ['sbp', 30], ['cash', 15]]);
        const isNew = night === 1 || issueDay === today;
        const changed = night > 1 && (payDay === today || overdueDay === today);
        if (!isNew && !changed) return;
        const status = today >= payDay ? 'paid' : today >= overdueDay ? 'overdue' : 'open';
        const updatedAt = status === 'paid' ? paidAt : status === 'overdue' ? overdueAt : issuedAt;
        const invoiceId = `INV-${a.id}-${yyyymm(issueDay)}-${j + 1}`;
        emit.invoice([invoiceId, a.id, sub.product, amount.toFixed(2), currency, status, isoTs(issuedAt), isoDate(issueDay + DUE_DAYS), isoTs(updatedAt)]);
        if (payDay <= today && (night === 1 || payDay === today)) {
          emit.payment([`PAY-${invoiceId.slice(4)}`, invoiceId, a.id, amount.toFixed(2), currency, method, isoTs(paidAt), isoTs(paidAt)]);
        }
      });
    }
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}
