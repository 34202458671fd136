import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { builtWorld } from './fixture/built.ts';

describe('marts.customer_360 on the fixture world', () => {
  let wh: Warehouse;
  const now = new Date();
  beforeAll(async () => {
    wh = await builtWorld(now);
  });
  afterAll(() => wh.close());

  const customer = (id: number) =>
    wh.one('SELECT * FROM marts.customer_360 WHERE customer_id = $1', [id]);

  it('lists both billing and the contact centre for a customer known to billing who called', async () => {
    const anna = await customer(1);
    expect(anna?.known_to).toEqual(['billing', 'contact_centre']);
    const systems = await wh.all(
      `SELECT system, source, records, interactions, transactions, first_seen, last_seen FROM marts.customer_systems WHERE customer_id = 1 ORDER BY system`,
    );
    expect(
      systems.map((s) => [s.system, s.source, s.records, s.transactions, s.interactions]),
    ).toEqual([
      ['billing', 'billing', 1, 2, 0],
      ['contact_centre', 'cc', 0, 0, 2],
    ]);
    // first seen by the contact centre = her first call, 5 days ago at 09:00 UTC
    const cc = systems[1]!;
    expect((cc.first_seen as Date).getUTCHours()).toBe(9);
    expect(
      Math.round((now.getTime() - (cc.first_seen as Date).getTime()) / 86_400_000),
    ).toBeGreaterThanOrEqual(4);
  });

  it('counts revenue without payments or cancelled orders, and keeps the last purchase', async () => {
    const ivan = await customer(2);
    expect(ivan?.revenue).toBe(300); // invoice 300; the payment of it does not count twice
    const igor = await customer(9);
    expect(igor?.revenue).toBe(300); // orders 200 + 100; the cancelled 999 is left out
    expect(igor?.products).toEqual(['travel_insurance']);
    expect(igor?.last_product).toBe('travel_insurance');
  });

  it('shows the last web visit and the pages viewed most', async () => {
    const igor = await customer(9);
    expect(igor?.top_pages).toEqual(['/products/car-insurance', '/home', '/contact']);
    expect(igor?.web_sessions).toBe(1);
    expect(igor?.page_views).toBe(6);
    expect(igor?.last_web_visit_at).toBeInstanceOf(Date);
  });

  it('counts contacts by channel, recent and open complaints, open tickets', async () => {
    const anna = await customer(1);
    expect(anna?.contacts).toBe(2);
    expect(anna?.complaints_recent).toBe(1);
    const gus = await customer(7);
    expect(gus?.open_tickets).toBe(1);
    expect(gus?.complaints_recent).toBe(0);
    const hana = await customer(8);
    expect(hana?.complaints).toBe(1);
    expect(hana?.complaints_recent).toBe(0); // 60 days ago, outside the 30-day window
    const gusRow = await customer(7);
    expect(JSON.parse(gusRow?.contacts_by_channel as string)).toEqual({ email: 1, phone: 1 });
    expect(
      await wh.all(
        'SELECT channel, contacts FROM marts.customer_contact_channels WHERE customer_id = 7 ORDER BY channel',
      ),
    ).toEqual([
      { channel: 'email', contacts: 1 },
      { channel: 'phone', contacts: 1 },
    ]);
  });

  it('shows the household and what the other members hold', async () => {
    const anna = await customer(1);
    expect(anna?.household_id).toBe(100);
    expect(anna?.household_size).toBe(2);
    expect(anna?.household_products).toEqual(['home_insurance']);
    // JSON for BI tools, and rows of their own
    expect(JSON.parse(anna?.household_members as string)).toEqual([
      { customer_id: 2, name: 'Ivan Petrov', role: 'member', products: ['home_insurance'] },
    ]);
    expect(
      await wh.all(
        'SELECT member_id, member_name, role FROM marts.customer_household_members WHERE customer_id = 1',
      ),
    ).toEqual([{ member_id: 2, member_name: 'Ivan Petrov', role: 'member' }]);
    const systems = JSON.parse((await customer(1))?.systems as string) as { system: string }[];
    expect(systems.map((x) => x.system).sort()).toEqual(['billing', 'contact_centre']);
  });

  it('keeps deleted customers in the 360 with the flag, and finds the cross-sell pair of the household', async () => {
    expect((await customer(10))?.is_deleted).toBe(true);
    const pairs = await wh.all(
      'SELECT household_id, product, customer_id, holders FROM marts.cross_sell ORDER BY product',
    );
    expect(pairs).toEqual([
      { household_id: 100, product: 'car_insurance', customer_id: 2, holders: [1] },
      { household_id: 100, product: 'home_insurance', customer_id: 1, holders: [2] },
    ]);
  });
});
