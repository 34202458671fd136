import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight, profilesConfig } from './night.ts';

// Issue 16, defect 6: the shrink guard worked per source, so one table losing 90 % of its rows
// deleted 180 customers without a warning.

describe('shrink guard per source table', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
  });
  afterEach(() => wh.close());

  const people = (table: string, from: number, n: number): Party[] =>
    Array.from({ length: n }, (_, i) => ({
      customer: from + i,
      source: 'crm',
      table,
      key: `${table}${i + 1}`,
      first_name: 'Pat',
      last_name: `${table}${i + 1}`,
    }));
  // The shape of the night (a 200-row table of a 1,200-row source), ten times smaller.
  const customers = people('customers', 1, 20);
  const contacts = people('contacts', 1001, 100);
  const deleted = () =>
    wh.scalar<number>('SELECT count(*) FROM core.dim_customer WHERE is_deleted').then(Number);

  it('holds the customers of a table that lost 90 % of its rows, with a warning, though its source shrank 15 %', async () => {
    await setParties(wh, [...customers, ...contacts]);
    await playNight(wh, '2024-03-01T02:00:00Z');

    await setParties(wh, [...customers.slice(0, 2), ...contacts]);
    const night2 = await playNight(wh, '2024-03-02T02:00:00Z');
    expect(await deleted()).toBe(0);
    expect(night2.lines).toContain(
      'warn: profiles: table crm.customers: 2 party records tonight, 20 last accepted; end-dating and deletions held for 18 customers (set profiles.allow_shrink to accept)',
    );
    expect(
      await wh.all(
        "SELECT target, failed_rows FROM meta.dq_results WHERE check_name = 'profiles_shrink_guard'",
      ),
    ).toEqual([{ target: 'crm.customers', failed_rows: 18 }]);

    // Allowing that table (not the whole source) lets the deletes through.
    await playNight(wh, '2024-03-03T02:00:00Z', profilesConfig('  allow_shrink: [crm.customers]'));
    expect(await deleted()).toBe(18);
  });
});
