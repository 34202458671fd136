import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, partyUid, setParties, type Party } from './upstream-fixture.ts';
import { playNight } from './night.ts';

const parties: Party[] = [
  {
    customer: 1,
    source: 'billing',
    key: 'b1',
    first_name: 'Ann',
    last_name: 'One',
    email: 'ann@example.com',
    phone: '+441000000001',
    loyalty_card: 'CARD-0001',
    web_user_id: 'ann1',
  },
  {
    customer: 2,
    source: 'billing',
    key: 'b2',
    first_name: 'Bob',
    last_name: 'Two',
    phone: '+441000000009',
    web_user_id: 'Bob2',
  },
  // A landline shared by two customers: it must resolve nobody.
  {
    customer: 3,
    source: 'erp',
    key: 'e3',
    first_name: 'Cai',
    last_name: 'Three',
    phone: '+441000000009',
  },
];

describe('facts joined to customers', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await createUpstreamTables(wh);
    await setParties(wh, parties);
    const b1 = partyUid(parties[0]!);
    await wh.run(`INSERT INTO staging.transactions (txn_uid, source, source_table, record_key, kind, party_uid, card, email_key, phone_e164, amount, occurred_at) VALUES
      ('billing.invoices:1', 'billing', 'invoices', '1', 'invoice', '${b1}', NULL, NULL, NULL, 10, '2024-01-01'),
      ('pos.sales:1', 'pos', 'sales', '1', 'sale', NULL, 'card 0001', NULL, NULL, 5, '2024-01-02'),
      ('web.orders:1', 'web', 'orders', '1', 'order', NULL, NULL, 'ann@example.com', NULL, 7, '2024-01-03'),
      ('web.orders:2', 'web', 'orders', '2', 'order', NULL, NULL, NULL, '+441000000001', 8, '2024-01-04'),
      ('web.orders:3', 'web', 'orders', '3', 'order', NULL, NULL, NULL, '+441000000009', 9, '2024-01-05'),
      ('pos.sales:2', 'pos', 'sales', '2', 'sale', NULL, 'NO-SUCH-CARD', NULL, NULL, 3, '2024-01-06'),
      ('billing.invoices:2', 'billing', 'invoices', '2', 'invoice', 'billing.customers:gone', NULL, 'ann@example.com', NULL, 4, '2024-01-07')`);
    await wh.run(`INSERT INTO staging.interactions (interaction_uid, source, source_table, record_key, party_uid, email_key, phone_e164, channel, is_complaint) VALUES
      ('cc.calls:1', 'cc', 'calls', '1', NULL, NULL, '+441000000001', 'phone', true),
      ('cc.calls:2', 'cc', 'calls', '2', NULL, NULL, '+441000000009', 'phone', false),
      ('cc.calls:3', 'cc', 'calls', '3', NULL, NULL, '+449999999999', 'phone', false),
      ('cc.tickets:1', 'cc', 'tickets', '1', NULL, 'ann@example.com', NULL, 'email', true),
      ('cc.tickets:2', 'cc', 'tickets', '2', '${partyUid(parties[1]!)}', NULL, NULL, 'ticket', false)`);
    await wh.run(`INSERT INTO staging.web_sessions (session_id, cookie_id, user_id, hits, page_views, landing_path, is_bot) VALUES
      ('s1', 'c1', 'ann1', 3, 2, '/', false),
      ('s2', 'c1', 'ann1', 1, 1, '/offers', false),
      ('s3', 'c9', NULL, 2, 1, '/', false),
      ('s4', 'c2', NULL, 1, 1, '/', false),
      ('s5', 'c5', 'ann1', 1, 1, '/', true)`);
    await wh.run(`INSERT INTO staging.web_hits (hit_uid, source, source_table, session_id, cookie_id, user_id, path, url, status, is_bot) VALUES
      ('h1', 'web', 'access', 's1', 'c1', 'ann1', '/login', '/login', 200, false),
      ('h2', 'web', 'access', 's1', 'c1', 'ann1', '/app.css', '/app.css', 200, false),
      ('h3', 'web', 'access', 's1', 'c1', 'ann1', '/account', '/account', 200, false),
      ('h4', 'web', 'access', 's2', 'c1', NULL, '/offers', '/offers?x=1', 200, false),
      ('h5', 'web', 'access', 's3', 'c9', NULL, '/', '/', 200, false),
      ('h6', 'web', 'access', 's3', 'c9', NULL, '/logo.PNG', '/logo.PNG', 200, false),
      ('h7', 'web', 'access', 's4', 'c2', NULL, '/', '/', 200, false),
      ('h8', 'web', 'access', 's5', 'c5', 'ann1', '/', '/', 200, true)`);
    await wh.run(`INSERT INTO staging.cookie_links VALUES ('c2', 'bob2', NULL, NULL, 3)`);
  });
  afterEach(() => wh.close());

  it('resolves each fact by party key, card, e-mail, phone, user id or cookie, and counts the rest', async () => {
    const night = await playNight(wh, '2024-03-01T02:00:00Z');

    expect(
      await wh.all(
        'SELECT txn_uid, customer_id, resolved_by FROM core.fact_transactions ORDER BY txn_uid',
      ),
    ).toEqual([
      { txn_uid: 'billing.invoices:1', customer_id: 1, resolved_by: 'party_key' },
      { txn_uid: 'billing.invoices:2', customer_id: 1, resolved_by: 'email' },
      { txn_uid: 'pos.sales:1', customer_id: 1, resolved_by: 'card' },
      { txn_uid: 'pos.sales:2', customer_id: null, resolved_by: null },
      { txn_uid: 'web.orders:1', customer_id: 1, resolved_by: 'email' },
      { txn_uid: 'web.orders:2', customer_id: 1, resolved_by: 'phone' },
      { txn_uid: 'web.orders:3', customer_id: null, resolved_by: null },
    ]);
    expect(
      await wh.all(
        'SELECT interaction_uid, customer_id, resolved_by FROM core.fact_interactions ORDER BY interaction_uid',
      ),
    ).toEqual([
      { interaction_uid: 'cc.calls:1', customer_id: 1, resolved_by: 'phone' },
      { interaction_uid: 'cc.calls:2', customer_id: null, resolved_by: null },
      { interaction_uid: 'cc.calls:3', customer_id: null, resolved_by: null },
      { interaction_uid: 'cc.tickets:1', customer_id: 1, resolved_by: 'email' },
      { interaction_uid: 'cc.tickets:2', customer_id: 2, resolved_by: 'party_key' },
    ]);
    expect(
      await wh.all(
        'SELECT session_id, customer_id, resolved_by FROM core.fact_web_sessions ORDER BY session_id',
      ),
    ).toEqual([
      { session_id: 's1', customer_id: 1, resolved_by: 'user_id' },
      { session_id: 's2', customer_id: 1, resolved_by: 'cookie' },
      { session_id: 's3', customer_id: null, resolved_by: null },
      { session_id: 's4', customer_id: 2, resolved_by: 'cookie' },
      // A robot is nobody's visit, whatever user id it sends.
      { session_id: 's5', customer_id: null, resolved_by: null },
    ]);
    expect(
      await wh.all('SELECT hit_uid, customer_id FROM core.fact_page_views ORDER BY hit_uid'),
    ).toEqual([
      { hit_uid: 'h1', customer_id: 1 },
      { hit_uid: 'h3', customer_id: 1 },
      { hit_uid: 'h4', customer_id: 1 },
      { hit_uid: 'h5', customer_id: null },
      { hit_uid: 'h7', customer_id: 2 },
      { hit_uid: 'h8', customer_id: null },
    ]);

    // Every staging row is accounted for, per fact table, in the summary and in meta.run_steps.
    const res = await wh.all(
      'SELECT fact_table, rows_in, rows_out, not_fact, resolved, unresolved, by_party_key, by_card, by_email, by_phone, by_user_id, by_cookie FROM core.fact_resolution ORDER BY fact_table',
    );
    expect(res).toEqual([
      {
        fact_table: 'fact_interactions',
        rows_in: 5,
        rows_out: 5,
        not_fact: 0,
        resolved: 3,
        unresolved: 2,
        by_party_key: 1,
        by_card: 0,
        by_email: 1,
        by_phone: 1,
        by_user_id: 0,
        by_cookie: 0,
      },
      {
        fact_table: 'fact_page_views',
        rows_in: 8,
        rows_out: 6,
        not_fact: 2,
        resolved: 4,
        unresolved: 2,
        by_party_key: 0,
        by_card: 0,
        by_email: 0,
        by_phone: 0,
        by_user_id: 2,
        by_cookie: 2,
      },
      {
        fact_table: 'fact_transactions',
        rows_in: 7,
        rows_out: 7,
        not_fact: 0,
        resolved: 5,
        unresolved: 2,
        by_party_key: 1,
        by_card: 1,
        by_email: 2,
        by_phone: 1,
        by_user_id: 0,
        by_cookie: 0,
      },
      {
        fact_table: 'fact_web_sessions',
        rows_in: 5,
        rows_out: 5,
        not_fact: 0,
        resolved: 3,
        unresolved: 2,
        by_party_key: 0,
        by_card: 0,
        by_email: 0,
        by_phone: 0,
        by_user_id: 1,
        by_cookie: 2,
      },
    ]);
    for (const [table, staging] of [
      ['fact_transactions', 'transactions'],
      ['fact_interactions', 'interactions'],
      ['fact_web_sessions', 'web_sessions'],
    ] as const) {
      const step = night.steps.find((s) => s.source === table);
      expect(step).toMatchObject({
        status: 'succeeded',
        rowsIn: Number(await wh.scalar(`SELECT count(*) FROM staging.${staging}`)),
        rowsOut: Number(await wh.scalar(`SELECT count(*) FROM core.${table}`)),
      });
    }
    expect(night.lines).toContain(
      'info: profiles: core.fact_transactions 7 rows (5 resolved, 2 without a customer)',
    );

    // Rebuilt, not appended, on the next night.
    await playNight(wh, '2024-03-02T02:00:00Z');
    expect(Number(await wh.scalar('SELECT count(*) FROM core.fact_transactions'))).toBe(7);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.fact_resolution'))).toBe(8);
  });

  it("takes page views from transforms' is_page flag when staging has it", async () => {
    await wh.run('ALTER TABLE staging.web_hits ADD COLUMN is_page BOOLEAN');
    await wh.run(
      `UPDATE staging.web_hits SET is_page = NOT regexp_matches(lower(path), '\\.(css|png)$')`,
    );
    await wh.run(
      `INSERT INTO staging.web_hits (hit_uid, session_id, path, status, is_bot, is_page) VALUES ('h9', 's1', '/missing', 404, false, false)`,
    );
    await playNight(wh, '2024-03-01T02:00:00Z');
    expect(
      await wh.one(
        "SELECT rows_in, rows_out, not_fact FROM core.fact_resolution WHERE fact_table = 'fact_page_views'",
      ),
    ).toEqual({ rows_in: 9, rows_out: 6, not_fact: 3 });
    expect(
      Number(await wh.scalar("SELECT count(*) FROM core.fact_page_views WHERE hit_uid = 'h9'")),
    ).toBe(0);
  });
});
