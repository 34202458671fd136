import type { CampaignSettings } from '../../foundation/config-types.ts';
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { insertRows } from '../reports/fixture/world.ts';

/**
 * A hand-made marketing world (tests/campaigns/campaign-results.test.ts counts its answers).
 *
 * K1 "Broadband" (product broadband, cost 80 USD), sent Monday 2 Nov 2026 10:00 UTC:
 * - A North: 1 buys broadband exactly 14 days after (responds), 2 one second later (does not),
 *   3 at the very second of the send (does not), S9 resolves to nobody (counted, unresolved);
 * - B North: 4, sent twice (two records of one customer), buys the next day (100);
 * - B South: 5, whose household partner 6 buys (a response only with household attribution),
 *   7, who already had broadband in June (a renewal, no response);
 * - A South: 8, who unsubscribes and calls the contact centre with a complaint;
 * - holdout (no variant): 10 and 11 in the North (10 buys), 12 and 13 in the South.
 * K2 "Winter SMS" (no product), sent 20 Nov 10:00 to 1 (visits the site the next day), 2 (calls
 * the next day) and 3 (calls only to complain).
 * The contact centre gets 2 anonymous calls a day from 5 Oct to 30 Nov, 6 more on 2 Nov (2 of
 * them abandoned).
 */
export const AS_OF = new Date('2026-12-01T00:00:00Z');

const SENT = '2026-11-02T10:00:00Z';
const K2_SENT = '2026-11-20T10:00:00Z';

export async function seedCampaignWorld(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE OR REPLACE TABLE staging.campaigns (
    campaign_uid VARCHAR NOT NULL, source VARCHAR, source_table VARCHAR, record_key VARCHAR,
    name VARCHAR, channel VARCHAR, product VARCHAR, variants VARCHAR, cost DOUBLE, currency VARCHAR,
    started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _load_id VARCHAR, _loaded_at TIMESTAMPTZ)`);
  await insertRows(wh, 'staging.campaigns', [
    {
      campaign_uid: 'mkt.campaigns:K1',
      name: 'Broadband',
      channel: 'email',
      product: 'broadband',
      cost: 80,
      currency: 'USD',
      started_at: SENT,
    },
    { campaign_uid: 'mkt.campaigns:K2', name: 'Winter SMS', channel: 'sms', started_at: K2_SENT },
  ]);
  const send = (
    key: string,
    customer: number | null,
    variant: string | null,
    region: string,
    extra: Record<string, string | boolean | null> = {},
  ) => ({
    contact_uid: `mkt.sends:${key}`,
    customer_id: customer,
    campaign_uid: 'mkt.campaigns:K1',
    variant,
    region,
    is_control: false,
    sent_at: SENT,
    delivered_at: SENT,
    ...extra,
  });
  await insertRows(wh, 'core.fact_campaign_contacts', [
    send('S1', 1, 'A', 'North'),
    send('S2', 2, 'A', 'North'),
    send('S3', 3, 'A', 'North'),
    send('S9', null, 'A', 'North', { delivered_at: null, bounced_at: SENT }),
    send('S4a', 4, 'B', 'North'),
    send('S4b', 4, 'B', 'North', { sent_at: '2026-11-02T10:05:00Z' }),
    send('S5', 5, 'B', 'South'),
    send('S7', 7, 'B', 'South'),
    send('S8', 8, 'A', 'South', { unsubscribed_at: '2026-11-03T08:00:00Z' }),
    send('H10', 10, null, 'North', { is_control: true, delivered_at: null }),
    send('H11', 11, null, 'North', { is_control: true, delivered_at: null }),
    send('H12', 12, null, 'South', { is_control: true, delivered_at: null }),
    send('H13', 13, null, 'South', { is_control: true, delivered_at: null }),
    ...[1, 2, 3].map((c) => ({
      contact_uid: `mkt.sends:T${c}`,
      customer_id: c,
      campaign_uid: 'mkt.campaigns:K2',
      is_control: false,
      sent_at: K2_SENT,
    })),
  ]);
  await insertRows(wh, 'core.dim_household', [
    { household_id: 500, customer_id: 5, role: 'primary', run_id: 'r' },
    { household_id: 500, customer_id: 6, role: 'member', run_id: 'r' },
  ]);
  const buy = (
    id: string,
    customer: number,
    at: string,
    amount: number,
    product = 'broadband',
  ) => ({
    txn_uid: `shop.orders:${id}`,
    customer_id: customer,
    source: 'shop',
    kind: 'order',
    amount,
    currency: 'USD',
    product,
    occurred_at: at,
  });
  await insertRows(wh, 'core.fact_transactions', [
    buy('1', 1, '2026-11-16T10:00:00Z', 50),
    buy('2', 2, '2026-11-16T10:00:01Z', 60),
    buy('3', 3, SENT, 70),
    buy('4', 4, '2026-11-03T09:00:00Z', 100),
    buy('6', 6, '2026-11-05T12:00:00Z', 40),
    buy('7old', 7, '2026-06-01T12:00:00Z', 30),
    buy('7', 7, '2026-11-04T12:00:00Z', 30),
    buy('10', 10, '2026-11-04T12:00:00Z', 45),
    // not the campaign's product: no response to K1
    buy('11', 11, '2026-11-04T12:00:00Z', 45, 'tv'),
  ]);
  await insertRows(wh, 'core.fact_web_sessions', [
    { session_id: 'w1', customer_id: 1, started_at: '2026-11-21T09:00:00Z', is_bot: false },
  ]);
  const calls: Record<string, string | number | boolean | null>[] = [];
  for (
    let d = Date.parse('2026-10-05T00:00:00Z');
    d <= Date.parse('2026-11-30T00:00:00Z');
    d += 86_400_000
  ) {
    const day = new Date(d).toISOString().slice(0, 10);
    for (const k of [1, 2])
      calls.push({ interaction_uid: `cc.calls:${day}-${k}`, opened_at: `${day}T0${k}:00:00Z` });
  }
  for (let k = 0; k < 6; k++)
    calls.push({
      interaction_uid: `cc.calls:surge-${k}`,
      opened_at: `2026-11-02T1${k}:00:00Z`,
      is_abandoned: k < 2,
    });
  calls.push(
    {
      interaction_uid: 'cc.calls:c8',
      customer_id: 8,
      opened_at: '2026-11-04T09:00:00Z',
      is_complaint: true,
    },
    { interaction_uid: 'cc.calls:k2', customer_id: 2, opened_at: '2026-11-21T09:00:00Z' },
    {
      interaction_uid: 'cc.calls:k3',
      customer_id: 3,
      opened_at: '2026-11-21T09:00:00Z',
      is_complaint: true,
    },
  );
  await insertRows(
    wh,
    'core.fact_interactions',
    calls.map((c) => ({ channel: 'phone', direction: 'inbound', ...c })),
  );
}

/** Builds the campaign marts over the world with the given settings. */
export async function buildCampaignMarts(
  wh: Warehouse,
  over: Partial<CampaignSettings> = {},
): Promise<void> {
  await buildMarts(wh, {
    runId: 'r-campaigns',
    asOf: AS_OF,
    complaintDays: 30,
    segments: [],
    sourceTables: [],
    campaigns: { ...DEFAULT_CAMPAIGN_SETTINGS, ...over },
    only: ['campaign_results', 'campaign_service_load'],
  });
}
