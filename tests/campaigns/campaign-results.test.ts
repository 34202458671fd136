import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { buildCampaignMarts, seedCampaignWorld } from './fixture.ts';

type Row = Record<string, unknown>;
const K1 = 'mkt.campaigns:K1';

async function result(
  wh: Warehouse,
  level: string,
  variant: string | null,
  region: string | null,
): Promise<Row> {
  const r = await wh.one<Row>(
    `SELECT * FROM marts.campaign_results WHERE campaign_uid = $1 AND level = $2
       AND variant IS NOT DISTINCT FROM $3 AND region IS NOT DISTINCT FROM $4`,
    [K1, level, variant, region],
  );
  if (r === undefined) throw new Error(`no ${level} row`);
  return r;
}

describe('campaign results (hand-counted)', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await seedCampaignWorld(wh);
  });
  afterEach(() => wh.close());

  it('attributes a purchase of the product inside the window, edges included, and counts a customer of two records once', async () => {
    await buildCampaignMarts(wh);
    const rows = await wh.all<Row>(
      `SELECT customer_id, records, responded, response_kind, revenue FROM marts.campaign_contacts
       WHERE campaign_uid = $1 AND NOT is_control ORDER BY customer_id NULLS LAST`,
      [K1],
    );
    expect(rows).toEqual([
      // exactly 14 days after the send: inside
      { customer_id: 1, records: 1, responded: true, response_kind: 'purchase', revenue: 50 },
      // one second later: outside
      { customer_id: 2, records: 1, responded: false, response_kind: null, revenue: 0 },
      // at the very second of the send: not after it
      { customer_id: 3, records: 1, responded: false, response_kind: null, revenue: 0 },
      { customer_id: 4, records: 2, responded: true, response_kind: 'purchase', revenue: 100 },
      // the household partner bought: not the recipient
      { customer_id: 5, records: 1, responded: false, response_kind: null, revenue: 0 },
      // a renewal of a product already held is no response
      { customer_id: 7, records: 1, responded: false, response_kind: null, revenue: 0 },
      { customer_id: 8, records: 1, responded: false, response_kind: null, revenue: 0 },
      // resolved to nobody: kept
      { customer_id: null, records: 1, responded: false, response_kind: null, revenue: 0 },
    ]);
    const whole = await result(wh, 'campaign', null, null);
    expect(whole).toMatchObject({
      campaign_name: 'Broadband',
      sent: 8,
      sends: 9,
      resolved: 7,
      unresolved: 1,
      delivered: 7,
      bounced: 1,
      responded: 2,
      control_size: 4,
      control_responded: 1,
      control_rate: 0.25,
      control_from: 'same',
      failed: false,
      revenue: 150,
      currency: 'USD',
      cost: 80,
      cost_per_response: 40,
      unsubscribes: 1,
      complaints: 1,
    });
    expect(whole.response_rate).toBeCloseTo(2 / 7, 12);
    expect(whole.incremental_rate).toBeCloseTo(2 / 7 - 0.25, 12);
    expect(whole.incremental_responses).toBeCloseTo((2 / 7 - 0.25) * 7, 12);
    // Wilson 95 % interval for 2 of 7, by hand: 0.0822 … 0.6411
    expect(whole.response_rate_low).toBeCloseTo(0.0822, 3);
    expect(whole.response_rate_high).toBeCloseTo(0.6411, 3);
  });

  it('gives results per variant and region, each beside its control group, and flags the failed', async () => {
    await buildCampaignMarts(wh);
    expect(await result(wh, 'variant', 'A', null)).toMatchObject({
      sent: 5,
      resolved: 4,
      responded: 1,
      response_rate: 0.25,
      control_from: 'campaign',
      control_rate: 0.25,
      incremental_rate: 0,
      cost: 50,
      cost_per_response: 50,
    });
    expect(await result(wh, 'variant', 'B', null)).toMatchObject({ sent: 3, responded: 1 });
    expect(await result(wh, 'region', null, 'North')).toMatchObject({
      resolved: 4,
      responded: 2,
      response_rate: 0.5,
      control_from: 'same',
      control_rate: 0.5,
      incremental_rate: 0,
      failed: false,
    });
    expect(await result(wh, 'region', null, 'South')).toMatchObject({
      resolved: 3,
      responded: 0,
      response_rate: 0,
      control_rate: 0,
      failed: true,
    });
    expect(await result(wh, 'variant_region', 'A', 'North')).toMatchObject({
      resolved: 3,
      responded: 1,
      control_from: 'region',
      control_rate: 0.5,
    });
    // the failure threshold is a setting
    await buildCampaignMarts(wh, { failureRate: 0.3 });
    expect(await result(wh, 'campaign', null, null)).toMatchObject({ failed: true });
    expect(await result(wh, 'region', null, 'North')).toMatchObject({ failed: false });
  });

  it('with household attribution, a purchase of the partner answers for the recipient', async () => {
    await buildCampaignMarts(wh, { attribution: 'household' });
    expect(
      await wh.one(
        'SELECT responded, response_kind FROM marts.campaign_contacts WHERE campaign_uid = $1 AND customer_id = 5',
        [K1],
      ),
    ).toEqual({ responded: true, response_kind: 'purchase' });
    expect(await result(wh, 'campaign', null, null)).toMatchObject({ responded: 3 });
  });

  it('the window is a setting', async () => {
    await buildCampaignMarts(wh, { responseWindowDays: 15 });
    expect(await result(wh, 'campaign', null, null)).toMatchObject({ responded: 3 });
  });

  it('a campaign without a product is answered by any purchase, visit or contact that is no complaint', async () => {
    await buildCampaignMarts(wh);
    expect(
      await wh.all(
        "SELECT customer_id, responded, response_kind, complained FROM marts.campaign_contacts WHERE campaign_uid = 'mkt.campaigns:K2' ORDER BY customer_id",
      ),
    ).toEqual([
      { customer_id: 1, responded: true, response_kind: 'visit', complained: false },
      { customer_id: 2, responded: true, response_kind: 'contact', complained: false },
      { customer_id: 3, responded: false, response_kind: null, complained: true },
    ]);
  });

  it("sets the contact centre's load after a campaign beside comparable days before it", async () => {
    await buildCampaignMarts(wh);
    const day0 = await wh.one<Row>(
      "SELECT * FROM marts.campaign_service_load WHERE campaign_uid = $1 AND day = DATE '2026-11-02'",
      [K1],
    );
    expect(day0).toMatchObject({
      days_after: 0,
      contacts: 8,
      abandoned: 2,
      abandonment_rate: 0.25,
      // Mondays 5, 12, 19 and 26 October
      baseline_days: 4,
      baseline_contacts: 2,
      excess_contacts: 6,
      load_ratio: 4,
      campaigns_active: ['Broadband'],
    });
    const days = await wh.all<{ day: string }>(
      'SELECT CAST(day AS VARCHAR) AS day FROM marts.campaign_service_load WHERE campaign_uid = $1 ORDER BY day',
      [K1],
    );
    expect(days.map((d) => d.day)).toEqual([
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
      '2026-11-08',
    ]);
    // service_daily joins the campaigns running on each day
    expect(
      await wh.all(
        "SELECT campaign_name, days_after FROM marts.campaign_days WHERE day = DATE '2026-11-08' OR day = DATE '2026-11-20' ORDER BY day",
      ),
    ).toEqual([
      { campaign_name: 'Broadband', days_after: 6 },
      { campaign_name: 'Winter SMS', days_after: 0 },
    ]);
    expect(
      await wh.scalar("SELECT count(*) FROM marts.campaign_days WHERE day = DATE '2026-11-09'"),
    ).toBe(0);
    // K2's Monday: 16 and 9 November and 26 October; 2 November was inside K1's window
    expect(
      await wh.one(
        "SELECT baseline_days, baseline_contacts, recipient_contacts FROM marts.campaign_service_load WHERE campaign_uid = 'mkt.campaigns:K2' AND day = DATE '2026-11-23'",
      ),
    ).toEqual({ baseline_days: 3, baseline_contacts: 2, recipient_contacts: 0 });
    expect(
      await wh.one(
        "SELECT contacts, recipient_contacts FROM marts.campaign_service_load WHERE campaign_uid = 'mkt.campaigns:K2' AND day = DATE '2026-11-21'",
      ),
    ).toEqual({ contacts: 4, recipient_contacts: 2 });
  });
});
