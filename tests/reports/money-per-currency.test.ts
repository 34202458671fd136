import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { SEGMENTS } from './fixture/built.ts';
import { RUN_ID, SOURCE_TABLES, insertRows, seedWorld } from './fixture/world.ts';

describe('money per currency', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    const now = new Date();
    wh = await memoryWarehouse();
    await seedWorld(wh, now);
    // Anna (1000 USD in two invoices) also bought once at the Moscow tills, in roubles
    for (const [key, amount] of [['S1', 150000]] as const) {
      await insertRows(wh, 'core.fact_transactions', [
        {
          txn_uid: `pos.sales:${key}`,
          source: 'pos',
          source_table: 'sales',
          record_key: key,
          kind: 'sale',
          amount,
          product: 'coffee',
          occurred_at: new Date(now.getTime() - 3 * 86_400_000).toISOString(),
          status: 'paid',
          currency: 'RUB',
          customer_id: 1,
          resolved_by: 'card',
        },
      ]);
    }
    await buildMarts(wh, {
      runId: RUN_ID,
      complaintDays: 30,
      segments: SEGMENTS,
      sourceTables: SOURCE_TABLES,
    });
  });
  afterAll(() => wh.close());

  it('never adds roubles to dollars: revenue is in the main currency, the rest per currency', async () => {
    expect(
      await wh.one(
        'SELECT revenue, currency, other_currencies, purchases FROM marts.customer_revenue WHERE customer_id = 1',
      ),
    ).toEqual({ revenue: 1000, currency: 'USD', other_currencies: ['RUB'], purchases: 3 });
    expect(
      await wh.all(
        'SELECT currency, revenue, purchases FROM marts.customer_revenue_by_currency WHERE customer_id = 1 ORDER BY currency',
      ),
    ).toEqual([
      { currency: 'RUB', revenue: 150000, purchases: 1 },
      { currency: 'USD', revenue: 1000, purchases: 2 },
    ]);
    const seg = await wh.one<{ monetary: number; currency: string }>(
      'SELECT monetary, currency FROM marts.customer_segments WHERE customer_id = 1',
    );
    expect(seg).toEqual({ monetary: 1000, currency: 'USD' });
    expect(
      await wh.scalar("SELECT count(*) FROM marts.customer_360 WHERE currency = 'mixed'"),
    ).toBe(0);
  });
});
