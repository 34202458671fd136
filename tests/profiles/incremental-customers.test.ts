import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { profilesConfig } from './night.ts';
import { profilesOn } from './profiles-alone.ts';

const TABLES = [
  'dim_customer',
  'dim_customer_history',
  'customer_attribute_lineage',
  'customer_sources',
  'customer_id_map',
  'customer_history_corrections',
].map((t) => `core.${t}`);

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));

/** One night's upstream: party records, their customers, identity's events, households. */
interface Upstream {
  readonly parties: readonly Party[];
  readonly idHistory?: readonly [number, number, 'merge' | 'split', string][];
  readonly households?: readonly [number, number][];
}

const person = (
  customer: number,
  source: string,
  key: string,
  more: Partial<Party> = {},
): Party => ({
  customer,
  source,
  key,
  first_name: `First${customer}`,
  last_name: `Last${customer}`,
  email: `p${customer}@example.com`,
  address: `${customer} Old Street`,
  postcode: 'N1 1AA',
  city: 'London',
  updated_at: '2024-01-01T00:00:00Z',
  ...more,
});

const base: Party[] = [
  person(1, 'billing', 'b1'),
  person(1, 'erp', 'e1', { updated_at: '2023-06-01T00:00:00Z' }),
  person(2, 'billing', 'b2', { first_name: 'Anna', last_name: 'Smith' }),
  person(2, 'pos', 'p2', { first_name: 'Anna', last_name: 'Smith', loyalty_card: 'C2' }),
  person(3, 'billing', 'b3', { first_name: 'John', last_name: 'Doe' }),
  person(4, 'erp', 'e4', { first_name: 'John', last_name: 'Doe', phone: '+447700900004' }),
  person(5, 'billing', 'b5', { first_name: 'Kate', last_name: 'Split' }),
  person(5, 'erp', 'e5', { first_name: 'Kay', last_name: 'Other', email: 'kay@example.com' }),
  person(6, 'billing', 'b6'),
  person(8, 'billing', 'b8'),
];
const replace = (parties: readonly Party[], key: string, p: Party) =>
  parties.map((x) => (x.key === key ? p : x));

// night 2: 1 moves, 2 marries, 4 merges into 3, 6 is deleted in its source
const night2 = replace(
  replace(
    replace(
      base,
      'b1',
      person(1, 'billing', 'b1', { address: '9 New Road', updated_at: '2024-03-15T00:00:00Z' }),
    ),
    'b2',
    person(2, 'billing', 'b2', {
      first_name: 'Anna',
      last_name: 'Jones',
      updated_at: '2024-03-20T00:00:00Z',
    }),
  ),
  'e4',
  { ...base.find((p) => p.key === 'e4')!, customer: 3 },
).filter((p) => p.customer !== 6);
// night 3: 5 splits (the ERP record is someone else: 7), 6 comes back, and a late ERP row for 1
// says its phone number since February — before the move
const night3 = [
  ...replace(
    replace(night2, 'e5', { ...base.find((p) => p.key === 'e5')!, customer: 7 }),
    'e1',
    person(1, 'erp', 'e1', { phone: '+447700900001', updated_at: '2024-02-10T00:00:00Z' }),
  ),
  person(6, 'billing', 'b6'),
];

const NIGHTS: readonly { at: string; up: Upstream }[] = [
  {
    at: '2024-03-01T02:00:00Z',
    up: {
      parties: base,
      households: [
        [100, 1],
        [100, 2],
      ],
    },
  },
  {
    at: '2024-04-01T02:00:00Z',
    up: {
      parties: night2,
      households: [
        [100, 1],
        [100, 2],
      ],
      idHistory: [[4, 3, 'merge', '2024-03-31T00:00:00Z']],
    },
  },
  {
    at: '2024-05-01T02:00:00Z',
    up: {
      parties: night3,
      // 8 moves in with 1 and 2: only its household changes
      households: [
        [100, 1],
        [100, 2],
        [100, 8],
      ],
      idHistory: [[5, 7, 'split', '2024-04-30T00:00:00Z']],
    },
  },
  // nothing changes
  {
    at: '2024-06-01T02:00:00Z',
    up: {
      parties: night3,
      households: [
        [100, 1],
        [100, 2],
        [100, 8],
      ],
    },
  },
];

async function setUpstream(wh: Warehouse, up: Upstream, runId: string): Promise<void> {
  await setParties(wh, up.parties);
  // as the transform leaves them: a record that did not change keeps its load time
  await wh.run(
    "UPDATE staging.party_records SET _loaded_at = TIMESTAMPTZ '2024-01-01 00:00:00+00'",
  );
  await wh.run('DELETE FROM core.dim_household');
  for (const [h, c] of up.households ?? [])
    await wh.run(`INSERT INTO core.dim_household VALUES ($1, $2, 'k', 'member')`, [h, c]);
  for (const [oldId, newId, event, at] of up.idHistory ?? [])
    await wh.run(
      `INSERT INTO identity.id_history VALUES ($1, $2, $3, $4, 'test', CAST($5 AS TIMESTAMPTZ))`,
      [oldId, newId, event, runId, at],
    );
}

async function differences(a: Warehouse, b: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const rows = async (wh: Warehouse) =>
      (await wh.all(`FROM ${t}`))
        .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
        .sort();
    const [x, y] = [await rows(a), await rows(b)];
    const onlyX = x.filter((r) => !y.includes(r)).length;
    const onlyY = y.filter((r) => !x.includes(r)).length;
    if (onlyX + onlyY > 0) out[t] = onlyX + onlyY;
  }
  return out;
}

/**
 * Fixture nights where people move, marry, merge, split, are deleted in their source and come
 * back, a late row arrives for an old key and a household changes: one warehouse builds only the
 * customers whose inputs changed, the other rebuilds every customer each night, at the same run
 * and time — their golden records, history and lineage are the same rows every night.
 */
describe('customers built from what changed', () => {
  let inc: Warehouse;
  let full: Warehouse;
  const config = profilesConfig();
  const nights: {
    notes: string | null;
    touched: number | undefined;
    diff: Record<string, number>;
  }[] = [];

  beforeAll(async () => {
    inc = await memoryWarehouse();
    full = await memoryWarehouse();
    for (const wh of [inc, full]) await createUpstreamTables(wh);
    for (const [i, n] of NIGHTS.entries()) {
      const run = { runId: `r-night-${i + 1}`, now: new Date(n.at) };
      for (const wh of [inc, full]) await setUpstream(wh, n.up, run.runId);
      const r = await profilesOn(config, inc, { ...run, fullRefresh: false });
      await profilesOn(config, full, { ...run, fullRefresh: true });
      const unit = r.find((x) => x.source === 'customers')!;
      nights.push({
        notes: unit.error,
        touched: unit.touched?.count,
        diff: await differences(inc, full),
      });
    }
  }, 300_000);
  afterAll(() => {
    inc.close();
    full.close();
  });

  it('equal a rebuild of every customer each night', () => {
    expect(nights.map((n) => n.diff)).toEqual([{}, {}, {}, {}]);
  });

  it('rebuild the changed customers only, and none on a night without change', () => {
    expect(nights.map((n) => n.notes)).toEqual([
      'rebuilt whole: first built from what changed',
      // 1, 2, 3 and 4 (merged), 6 (deleted)
      'incremental: 5 customers rebuilt',
      // 1 (late row), 5 and 7 (split), 6 (back), 8 (household)
      'incremental: 5 customers rebuilt',
      'incremental: 0 customers rebuilt',
    ]);
    // the run summary and cdw status show the same counts
    expect(nights.map((n) => n.touched)).toEqual([7, 5, 5, 0]);
  });

  it('places the late row in the history version it belongs to', async () => {
    const v = await inc.all<{
      valid_from: Date;
      phone: string | null;
      address: string;
      change_reason: string;
    }>(
      'SELECT valid_from, phone, address, change_reason FROM core.dim_customer_history WHERE customer_id = 1 ORDER BY valid_from',
    );
    expect(v.map((r) => [iso(r.valid_from), r.phone, r.address, r.change_reason])).toEqual([
      ['2020-01-01T00:00:00.000Z', null, '1 Old Street', 'new'],
      ['2024-02-10T00:00:00.000Z', '+447700900001', '1 Old Street', 'late_change'],
      ['2024-03-15T00:00:00.000Z', '+447700900001', '9 New Road', 'change'],
    ]);
  });

  it('keeps the SCD2 rules: one current version per id, no overlaps or gaps', async () => {
    const bad = await inc.all(`
      WITH v AS (
        SELECT customer_id, valid_from, valid_to, is_current,
               lead(valid_from) OVER (PARTITION BY customer_id ORDER BY valid_from) AS next_from
        FROM core.dim_customer_history)
      SELECT customer_id FROM v GROUP BY customer_id
      HAVING count(*) FILTER (WHERE is_current) > 1
          OR count(*) FILTER (WHERE next_from IS NOT NULL AND next_from <> valid_to) > 0`);
    expect(bad).toEqual([]);
  });
});
