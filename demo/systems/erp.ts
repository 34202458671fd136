import type { Person } from '../model.ts';
import { FIRST_ORDINARY_PERSON } from '../scenarios.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import type { Cell, TableSink } from '../sinks/table-spec.ts';
import { CUSTOMERS, customerDue, customerRow, planCustomer } from './erp-customers.ts';
import { SALES_ORDERS, ordersOf } from './erp-orders.ts';

export const ERP_TABLES = [CUSTOMERS, SALES_ORDERS] as const;

/**
 * ERP: customers (Cyrillic names for Russians, national phone format, abbreviated streets,
 * a cross-reference to billing for some, web user ids) and sales orders. MySQL with `--mysql`,
 * else nightly CSV extracts.
 */
export function erpSystem(sink: TableSink): DemoSystem {
  return {
    name: 'erp',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      ctx.outputs.add({ flushIfNeeded: () => sink.drain(), close: () => sink.endNight() });
      const customers = sink.open(CUSTOMERS, ctx.date);
      const orders = sink.open(SALES_ORDERS, ctx.date);
      const counters = new Map<number, number>();
      const emitOrder = (row: Cell[]) => orders.write(row);
      // One export line broken by an unquoted comma, where the storage is text.
      let badPending = ctx.night === 1 && customers.writeUnquoted !== undefined;
      return {
        person(p: Person): void {
          if (p.member.erpNight > ctx.night) return;
          for (let slot = 0; slot < p.member.erp; slot++) {
            const created = p.member.erpNight === ctx.night;
            const c = planCustomer(ctx.seed, p, slot, created ? ctx.tally : undefined, ctx.noise);
            if (customerDue(c, ctx.night)) {
              const row = customerRow(c, p, ctx.night);
              if (badPending && created && p.index >= FIRST_ORDINARY_PERSON && p.market === 'US') {
                badPending = false;
                ctx.badRows.push({ location: sink.location(CUSTOMERS, ctx.date), at: `line ${customers.rows + 2}`, reason: 'unquoted comma in company: one column too many' });
                customers.writeUnquoted!(row.map((v, i) => (i === 3 ? 'Smith, Jones & Co' : typeof v === 'string' ? v.replaceAll(',', ' ') : v)));
              } else {
                customers.write(row);
              }
              if (!created) ctx.tally.add('erp.customer_updated');
            }
            if (created) ctx.truth.add('erp', 'customers', c.no, p);
            if (slot === 0) ordersOf(ctx.seed, c, p, ctx.night, counters, emitOrder);
          }
        },
        async finish(): Promise<void> {
          ctx.written.set(sink.location(CUSTOMERS, ctx.date), customers.rows);
          ctx.written.set(sink.location(SALES_ORDERS, ctx.date), orders.rows);
        },
      };
    },
  };
}
