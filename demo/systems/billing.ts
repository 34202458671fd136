import type { Person } from '../model.ts';
import { FIRST_ORDINARY_PERSON } from '../scenarios.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import type { Cell, TableSink } from '../sinks/table-spec.ts';
import { ACCOUNTS, accountDue, accountRow, planAccount } from './billing-accounts.ts';
import { INVOICES, PAYMENTS, billAccount } from './billing-invoices.ts';

export const BILLING_TABLES = [ACCOUNTS, INVOICES, PAYMENTS] as const;


/**
 * Billing: accounts (Latin names, E.164 phones, ISO dates), monthly invoices and payments.
 * Lives in PostgreSQL with `--pg`, else in nightly CSV extracts.
 */
export function billingSystem(sink: TableSink): DemoSystem {
  return {
    name: 'billing',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      const accounts = sink.open(ACCOUNTS, ctx.date);
      const invoices = sink.open(INVOICES, ctx.date);
      const payments = sink.open(PAYMENTS, ctx.date);
      ctx.outputs.add({ flushIfNeeded: () => sink.drain(), close: () => sink.endNight() });
      const emit = { invoice: (r: Cell[]) => invoices.write(r), payment: (r: Cell[]) => payments.write(r) };
      // One impossible birth date on the first night, where the storage can hold it (a CSV extract).
      let badPending = ctx.night === 1 && sink.storage === 'files';
      return {
        person(p: Person): void {
          if (p.member.billingNight > ctx.night) return;
          for (let slot = 0; slot < p.member.billing; slot++) {
            const created = p.member.billingNight === ctx.night;
            const a = planAccount(ctx.seed, p, slot, created ? ctx.tally : undefined, ctx.noise);
            if (accountDue(a, ctx.night)) {
              const bad = badPending && created && p.index >= FIRST_ORDINARY_PERSON && !a.birthMissing;
              if (bad) {
                badPending = false;
                ctx.badRows.push({ location: sink.location(ACCOUNTS, ctx.date), at: `line ${accounts.rows + 2}`, reason: 'impossible birth_date (February 30)' });
              }
              accounts.write(accountRow(a, p, ctx.night, bad));
              if (!created) ctx.tally.add('billing.account_updated');
            }
            if (created) ctx.truth.add('billing', 'accounts', a.id, p);
            billAccount(ctx.seed, a, p, ctx.night, emit);
          }
        },
        async finish(): Promise<void> {
          for (const [spec, w] of [[ACCOUNTS, accounts], [INVOICES, invoices], [PAYMENTS, payments]] as const) {
            ctx.written.set(sink.location(spec, ctx.date), w.rows);
          }
        },
      };
    },
  };
}
