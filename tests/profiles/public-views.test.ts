import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight } from './night.ts';

const VIEWS = [
  'customers',
  'customer_history',
  'transactions',
  'interactions',
  'web_sessions',
  'page_views',
  'households',
  'customer_records',
];

describe('public views for analysts', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
  });
  afterEach(() => wh.close());

  it('are documented: every view and every column of the contract views has a comment', async () => {
    await setParties(wh, [{ customer: 1, source: 'billing', key: 'b1', last_name: 'One' }]);
    await playNight(wh, '2024-03-01T02:00:00Z');
    const views = await wh.all<{ view_name: string; comment: string | null }>(
      `SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'public' AND view_name IN (${VIEWS.map((v) => `'${v}'`).join(', ')}) ORDER BY view_name`,
    );
    expect(views.map((v) => v.view_name)).toEqual([...VIEWS].sort());
    expect(views.filter((v) => !v.comment)).toEqual([]);
    const bare = await wh.all(`SELECT table_name, column_name FROM duckdb_columns()
      WHERE schema_name = 'public' AND table_name IN ('customers', 'transactions', 'interactions', 'web_sessions', 'page_views', 'households')
        AND comment IS NULL`);
    expect(bare).toEqual([]);
    expect(
      await wh.scalar(
        "SELECT comment FROM duckdb_functions() WHERE schema_name = 'public' AND function_name = 'customer_as_of'",
      ),
    ).toMatch(/end of day d/);
  });

  it('show households with their members and a profile as of a date', async () => {
    const a: Party = {
      customer: 1,
      source: 'billing',
      key: 'b1',
      first_name: 'Ola',
      last_name: 'Nord',
      address: '5 Elm Way',
      city: 'Kent',
      updated_at: '2024-01-01T00:00:00Z',
    };
    const b: Party = {
      customer: 2,
      source: 'billing',
      key: 'b2',
      first_name: 'Kari',
      last_name: 'Nord',
      address: '5 Elm Way',
      city: 'Kent',
      updated_at: '2024-01-01T00:00:00Z',
    };
    await setParties(wh, [a, b]);
    await wh.run(
      "INSERT INTO core.dim_household VALUES (50, 1, '5 elm way|', 'head'), (50, 2, '5 elm way|', 'member')",
    );
    await playNight(wh, '2024-03-01T02:00:00Z');
    await setParties(wh, [
      { ...a, city: 'Essex', address: '9 Oak Rd', updated_at: '2024-06-01T00:00:00Z' },
      b,
    ]);
    await playNight(wh, '2024-07-01T02:00:00Z');

    expect(
      await wh.all(
        'SELECT household_id, customer_id, role, city FROM public.households ORDER BY customer_id',
      ),
    ).toEqual([
      { household_id: 50, customer_id: 1, role: 'head', city: 'Essex' },
      { household_id: 50, customer_id: 2, role: 'member', city: 'Kent' },
    ]);
    expect(await wh.one('SELECT household_id FROM public.customers WHERE customer_id = 2')).toEqual(
      { household_id: 50 },
    );
    const at = async (d: string) =>
      wh.all(
        `SELECT customer_id, city FROM public.customer_as_of(DATE '${d}') ORDER BY customer_id`,
      );
    expect(await at('2019-12-31')).toEqual([]);
    expect(await at('2024-05-31')).toEqual([
      { customer_id: 1, city: 'Kent' },
      { customer_id: 2, city: 'Kent' },
    ]);
    // As of a date means by the end of that day: the move on 1 June counts for 1 June.
    expect(await at('2024-06-01')).toEqual([
      { customer_id: 1, city: 'Essex' },
      { customer_id: 2, city: 'Kent' },
    ]);
    expect(
      await wh.all(
        "SELECT customer_id, city FROM public.customer_at(TIMESTAMPTZ '2024-05-31 23:59:59+00') ORDER BY 1",
      ),
    ).toEqual([
      { customer_id: 1, city: 'Kent' },
      { customer_id: 2, city: 'Kent' },
    ]);
  });
});
