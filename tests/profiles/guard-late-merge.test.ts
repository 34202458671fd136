import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight, profilesConfig } from './night.ts';

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d));
const FAR = '9999-12-31T00:00:00.000Z';

describe('shrink guard, late-arriving changes, merges', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
  });
  afterEach(() => wh.close());

  const pos: Party[] = Array.from({ length: 10 }, (_, i) => ({
    customer: i + 101,
    source: 'pos',
    key: `p${i + 1}`,
    first_name: 'Till',
    last_name: `Buyer${i + 1}`,
    city: 'York',
  }));
  const billing: Party[] = [
    {
      customer: 101,
      source: 'billing',
      key: 'b1',
      first_name: 'Till',
      last_name: 'Buyer1',
      email: 'b1@example.com',
    },
  ];

  it('a truncated source ends nobody until the shrink is allowed', async () => {
    await setParties(wh, [...pos, ...billing]);
    await playNight(wh, '2024-03-01T02:00:00Z');

    // Night 2: the POS extract came back with one record of ten.
    await setParties(wh, [pos[0]!, ...billing]);
    const night2 = await playNight(wh, '2024-03-02T02:00:00Z');
    expect(
      Number(
        await wh.scalar(
          'SELECT count(*) FROM core.dim_customer_history WHERE is_deleted OR NOT is_current',
        ),
      ),
    ).toBe(0);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE is_deleted'))).toBe(
      0,
    );
    expect(
      night2.lines.some((l) =>
        l.startsWith('warn: profiles: source pos: 1 party records tonight, 10 last accepted'),
      ),
    ).toBe(true);
    expect(
      await wh.all(
        "SELECT target, status, failed_rows FROM meta.dq_results WHERE check_name = 'profiles_shrink_guard'",
      ),
    ).toEqual([{ target: 'pos', status: 'failed', failed_rows: 9 }]);

    // Night 3: still truncated: still held (the truncated count was never accepted as baseline).
    await playNight(wh, '2024-03-03T02:00:00Z');
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE is_deleted'))).toBe(
      0,
    );

    // Night 4: an operator allows the shrink of pos: now the nine are marked deleted, not dropped.
    await playNight(wh, '2024-03-04T02:00:00Z', profilesConfig('  allow_shrink: [pos]'));
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE is_deleted'))).toBe(
      9,
    );
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer'))).toBe(10);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer_history'))).toBe(19);
  });

  it('an empty extract of a source holds the customers only it knew', async () => {
    await setParties(wh, [...pos, ...billing]);
    await playNight(wh, '2024-03-01T02:00:00Z');
    await setParties(wh, billing);
    await playNight(wh, '2024-03-02T02:00:00Z');
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE is_deleted'))).toBe(
      0,
    );
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer_history'))).toBe(10);
  });

  it('a late-arriving older change splits the version that covered its time', async () => {
    const erp: Party = {
      customer: 5,
      source: 'erp',
      key: 'e5',
      first_name: 'Lena',
      last_name: 'Late',
      email: 'old@example.com',
      updated_at: '2024-01-01T00:00:00Z',
    };
    const bil: Party = {
      customer: 5,
      source: 'billing',
      key: 'b5',
      first_name: 'Lena',
      last_name: 'Late',
      phone: '+441111111111',
      updated_at: '2024-01-01T00:00:00Z',
    };
    await setParties(wh, [erp, bil, ...pos]);
    await playNight(wh, '2024-03-01T02:00:00Z');
    await setParties(wh, [
      erp,
      { ...bil, phone: '+442222222222', updated_at: '2024-06-01T00:00:00Z' },
      ...pos,
    ]);
    await playNight(wh, '2024-07-01T02:00:00Z');
    // Night 3: ERP delivers a change of e-mail it made back in April.
    await setParties(wh, [
      { ...erp, email: 'new@example.com', updated_at: '2024-04-01T00:00:00Z' },
      { ...bil, phone: '+442222222222', updated_at: '2024-06-01T00:00:00Z' },
      ...pos,
    ]);
    await playNight(wh, '2024-08-01T02:00:00Z');

    const rows = await wh.all(
      'SELECT * FROM core.dim_customer_history WHERE customer_id = 5 ORDER BY valid_from',
    );
    expect(
      rows.map((r) => [
        r.email,
        r.phone,
        iso(r.valid_from),
        iso(r.valid_to),
        r.is_current,
        r.change_reason,
      ]),
    ).toEqual([
      [
        'old@example.com',
        '+441111111111',
        '2020-01-01T00:00:00.000Z',
        '2024-04-01T00:00:00.000Z',
        false,
        'new',
      ],
      [
        'new@example.com',
        '+441111111111',
        '2024-04-01T00:00:00.000Z',
        '2024-06-01T00:00:00.000Z',
        false,
        'late_change',
      ],
      ['new@example.com', '+442222222222', '2024-06-01T00:00:00.000Z', FAR, true, 'change'],
    ]);
    expect(rows[1]).toMatchObject({ changed_attributes: ['email'], changed_by: 'erp.customers' });
    // The current version still equals the golden record, and its hash is that of its values.
    expect(
      await wh.one('SELECT email, phone FROM core.dim_customer WHERE customer_id = 5'),
    ).toEqual({ email: 'new@example.com', phone: '+442222222222' });
    expect(
      await wh.all(
        "SELECT email, iso FROM (SELECT email, strftime(valid_from, '%Y-%m-%d') AS iso, correction FROM core.customer_history_corrections WHERE customer_id = 5) ORDER BY iso",
      ),
    ).toEqual([
      { email: 'old@example.com', iso: '2020-01-01' },
      { email: 'old@example.com', iso: '2024-06-01' },
    ]);
    // A rerun of the same night adds nothing.
    const before = await wh.all(
      'SELECT * FROM core.dim_customer_history ORDER BY customer_id, valid_from',
    );
    await playNight(wh, '2024-08-01T03:00:00Z');
    expect(
      await wh.all('SELECT * FROM core.dim_customer_history ORDER BY customer_id, valid_from'),
    ).toEqual(before);
  });

  it('a late change that restores an earlier value joins the versions that became equal', async () => {
    const a: Party = {
      customer: 7,
      source: 'billing',
      key: 'b7',
      first_name: 'Cora',
      last_name: 'Back',
      city: 'Bath',
      updated_at: '2024-01-01T00:00:00Z',
    };
    await setParties(wh, [a, ...pos]);
    await playNight(wh, '2024-02-01T02:00:00Z');
    await setParties(wh, [{ ...a, city: 'Bristol', updated_at: '2024-05-01T00:00:00Z' }, ...pos]);
    await playNight(wh, '2024-06-01T02:00:00Z');
    // The move to Bristol was entered by mistake; the correction is dated in March (before May).
    await setParties(wh, [{ ...a, city: 'Bath', updated_at: '2024-03-01T00:00:00Z' }, ...pos]);
    await playNight(wh, '2024-07-01T02:00:00Z');
    const rows = await wh.all(
      'SELECT city, valid_from, valid_to, is_current FROM core.dim_customer_history WHERE customer_id = 7 ORDER BY valid_from',
    );
    expect(rows.map((r) => [r.city, iso(r.valid_from), iso(r.valid_to), r.is_current])).toEqual([
      ['Bath', '2020-01-01T00:00:00.000Z', FAR, true],
    ]);
  });

  it('a merged customer keeps its history under the surviving id', async () => {
    const six: Party = {
      customer: 6,
      source: 'billing',
      key: 'b6',
      first_name: 'Mira',
      last_name: 'Merge',
      city: 'Oslo',
      updated_at: '2024-01-01T00:00:00Z',
    };
    const seven: Party = {
      customer: 7,
      source: 'erp',
      key: 'e7',
      first_name: 'Mira',
      last_name: 'Merge',
      email: 'mira@example.com',
      updated_at: '2024-01-01T00:00:00Z',
    };
    await setParties(wh, [six, seven, ...pos]);
    await playNight(wh, '2024-03-01T02:00:00Z');

    await setParties(wh, [six, { ...seven, customer: 6 }, ...pos]);
    await wh.run(
      `INSERT INTO identity.id_history VALUES (7, 6, 'merge', 'r-identity', 'same email', TIMESTAMPTZ '2024-03-02 01:00:00+00')`,
    );
    await playNight(wh, '2024-03-02T02:00:00Z');

    const seventh = await wh.all('SELECT * FROM core.dim_customer_history WHERE customer_id = 7');
    expect(
      seventh.map((r) => [r.is_current, r.is_deleted, iso(r.valid_to), r.merged_into]),
    ).toEqual([[false, false, '2024-03-02T01:00:00.000Z', 6]]);
    expect(
      Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE customer_id = 7')),
    ).toBe(0);
    expect(
      await wh.one('SELECT email, record_count FROM core.dim_customer WHERE customer_id = 6'),
    ).toEqual({ email: 'mira@example.com', record_count: 2 });

    const underSurvivor = await wh.all(
      'SELECT recorded_customer_id, email FROM public.customer_history WHERE customer_id = 6 ORDER BY recorded_customer_id, valid_from',
    );
    expect(underSurvivor.map((r) => r.recorded_customer_id)).toEqual([6, 6, 7]);
    expect(
      await wh.one('SELECT customer_id, merged_at FROM core.customer_id_map WHERE old_id = 7'),
    ).toEqual({ customer_id: 6, merged_at: new Date('2024-03-02T01:00:00Z') });

    // Point in time: before the merge two customers existed; after it one.
    expect(
      await wh.all(
        "SELECT customer_id, current_customer_id FROM public.customer_as_of(DATE '2024-03-01') WHERE current_customer_id = 6 ORDER BY customer_id",
      ),
    ).toEqual([
      { customer_id: 6, current_customer_id: 6 },
      { customer_id: 7, current_customer_id: 6 },
    ]);
    expect(
      await wh.all(
        "SELECT customer_id FROM public.customer_as_of(DATE '2024-03-02') WHERE current_customer_id = 6",
      ),
    ).toEqual([{ customer_id: 6 }]);
  });
});
