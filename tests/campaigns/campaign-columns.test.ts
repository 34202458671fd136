import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { insertRows } from '../reports/fixture/world.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { AS_OF, seedCampaignWorld } from './fixture.ts';

type Row = Record<string, unknown>;
const K1 = 'mkt.campaigns:K1';

/**
 * The campaign world of fixture.ts, plus what K1 ("Broadband", product broadband, sent Monday
 * 2 Nov 10:00 UTC, window 2–8 Nov for the load) brought besides purchases:
 * - 4 (B North, bought) visits the site on 3 Nov;
 * - 5 (B South) calls on 3 Nov and again on Friday 6 Nov (a repeat contact);
 * - 7 (B South) is called by the contact centre on 6 Nov (outbound: no contact of theirs);
 * - 12 (holdout, South) calls on 5 Nov.
 * The customers 1–13 exist in core.dim_customer.
 */
async function seed(wh: Warehouse): Promise<void> {
  // the staging tables customer_360 reads (empty here)
  await wh.run(
    readFileSync(new URL('../reports/fixture/contract-tables.sql', import.meta.url), 'utf8'),
  );
  await seedCampaignWorld(wh);
  await insertRows(wh, 'core.fact_web_sessions', [
    { session_id: 'w4', customer_id: 4, started_at: '2026-11-03T12:00:00Z', is_bot: false },
  ]);
  await insertRows(
    wh,
    'core.fact_interactions',
    [
      { interaction_uid: 'cc.calls:5a', customer_id: 5, opened_at: '2026-11-03T11:00:00Z' },
      { interaction_uid: 'cc.calls:5b', customer_id: 5, opened_at: '2026-11-06T09:00:00Z' },
      {
        interaction_uid: 'cc.calls:7out',
        customer_id: 7,
        opened_at: '2026-11-06T15:00:00Z',
        direction: 'outbound',
      },
      { interaction_uid: 'cc.calls:12', customer_id: 12, opened_at: '2026-11-05T16:00:00Z' },
    ].map((c) => ({ channel: 'phone', direction: 'inbound', ...c })),
  );
  await insertRows(
    wh,
    'core.dim_customer',
    Array.from({ length: 13 }, (_, i) => ({ customer_id: i + 1, full_name: `Customer ${i + 1}` })),
  );
}

async function build(wh: Warehouse): Promise<void> {
  await buildMarts(wh, {
    runId: 'r-campaign-columns',
    asOf: AS_OF,
    complaintDays: 30,
    segments: [],
    sourceTables: [],
    campaigns: DEFAULT_CAMPAIGN_SETTINGS,
    only: ['campaign_results', 'campaign_service_load', 'service_daily', 'customer_360'],
  });
}

describe('campaign columns of campaign_results, service_daily and customer_360 (hand-counted)', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await seed(wh);
    await build(wh);
  });
  afterEach(() => wh.close());

  it('counts the visits and contacts a product campaign brought, beside the control group, without making them responses', async () => {
    expect(
      await wh.all(
        `SELECT customer_id, is_control, visited, called, CAST(called_at AS VARCHAR) AS called_at, responded
         FROM marts.campaign_contacts WHERE campaign_uid = $1 AND (visited OR called) ORDER BY customer_id`,
        [K1],
      ),
    ).toEqual([
      {
        customer_id: 4,
        is_control: false,
        visited: true,
        called: false,
        called_at: null,
        responded: true,
      },
      // the first of the two calls; a call is no response to a campaign with a product
      {
        customer_id: 5,
        is_control: false,
        visited: false,
        called: true,
        called_at: '2026-11-03 11:00:00+00',
        responded: false,
      },
      {
        customer_id: 12,
        is_control: true,
        visited: false,
        called: true,
        called_at: '2026-11-05 16:00:00+00',
        responded: false,
      },
    ]);
    const row = (level: string, variant: string | null, region: string | null) =>
      wh.one<Row>(
        `SELECT visited, visit_rate, control_visited, control_visit_rate, incremental_visit_rate,
                called, call_rate, control_called, control_call_rate, incremental_call_rate,
                incremental_call_rate_low, incremental_call_rate_high, control_from
         FROM marts.campaign_results WHERE campaign_uid = $1 AND level = $2
           AND variant IS NOT DISTINCT FROM $3 AND region IS NOT DISTINCT FROM $4`,
        [K1, level, variant, region],
      );
    // South: 5, 7 and 8 resolved, 5 called; its holdout 12 and 13, 12 called
    const south = await row('region', null, 'South');
    expect(south).toMatchObject({
      called: 1,
      control_called: 1,
      control_call_rate: 0.5,
      visited: 0,
      control_from: 'same',
    });
    expect(south!.call_rate).toBeCloseTo(1 / 3, 12);
    expect(south!.incremental_call_rate).toBeCloseTo(1 / 3 - 1 / 2, 12);
    // 95 % normal interval of the difference, by hand: √(⅓·⅔/3 + ½·½/2) = √0.19907 = 0.44618
    expect(south!.incremental_call_rate_low).toBeCloseTo(1 / 3 - 1 / 2 - 1.96 * 0.44618, 4);
    expect(south!.incremental_call_rate_high).toBeCloseTo(1 / 3 - 1 / 2 + 1.96 * 0.44618, 4);
    // variant B (4, 5, 7) beside the whole holdout (10–13: one call, no visit)
    const b = await row('variant', 'B', null);
    expect(b).toMatchObject({
      visited: 1,
      control_visited: 0,
      control_visit_rate: 0,
      called: 1,
      control_called: 1,
      control_call_rate: 0.25,
      control_from: 'campaign',
    });
    expect(b!.visit_rate).toBeCloseTo(1 / 3, 12);
    expect(b!.incremental_visit_rate).toBeCloseTo(1 / 3, 12);
    expect(b!.incremental_call_rate).toBeCloseTo(1 / 3 - 1 / 4, 12);
  });

  it('service_daily names the campaigns running each day and sets the load beside comparable days', async () => {
    const day = (d: string) =>
      wh.one<Row>(
        `SELECT contacts, inbound, abandoned, repeat_contacts_7d, campaigns_active, campaign_uids_active,
                campaigns_active_count, comparable_days, baseline_inbound, baseline_abandoned,
                baseline_repeat_contacts_7d, excess_inbound, excess_abandoned, excess_repeat_contacts_7d, load_ratio
         FROM marts.service_daily WHERE day = CAST($1 AS DATE) AND channel = 'phone' AND queue = '(none)'`,
        [d],
      );
    // Monday 2 Nov: K1 goes out; 2 usual calls + 6 more (2 abandoned); Mondays 5–26 Oct: 2 each
    expect(await day('2026-11-02')).toEqual({
      contacts: 8,
      inbound: 8,
      abandoned: 2,
      repeat_contacts_7d: 0,
      campaigns_active: ['Broadband'],
      campaign_uids_active: [K1],
      campaigns_active_count: 1,
      comparable_days: 4,
      baseline_inbound: 2,
      baseline_abandoned: 0,
      baseline_repeat_contacts_7d: 0,
      excess_inbound: 6,
      excess_abandoned: 2,
      excess_repeat_contacts_7d: 0,
      load_ratio: 4,
    });
    // Friday 6 Nov: 2 usual, 5's second call within 7 days (a repeat), an outbound call to 7
    expect(await day('2026-11-06')).toMatchObject({
      contacts: 4,
      inbound: 3,
      repeat_contacts_7d: 1,
      campaigns_active: ['Broadband'],
      comparable_days: 4,
      baseline_inbound: 2,
      excess_inbound: 1,
      excess_repeat_contacts_7d: 1,
      load_ratio: 1.5,
    });
    // Saturday 21 Nov: K2 runs (K1's window ended on 8 Nov); 2 usual + 2's call + 3's complaint;
    // Saturdays 14 and 31 Oct… : 14 Nov, 31 Oct, 24 Oct (7 Nov was inside K1's window)
    expect(await day('2026-11-21')).toMatchObject({
      inbound: 4,
      campaigns_active: ['Winter SMS'],
      campaigns_active_count: 1,
      comparable_days: 3,
      baseline_inbound: 2,
      excess_inbound: 2,
      load_ratio: 2,
    });
    // Monday 30 Nov: no campaign; 16 and 9 Nov compare (23 and 2 Nov were campaign days)
    expect(await day('2026-11-30')).toMatchObject({
      campaigns_active: [],
      campaign_uids_active: [],
      campaigns_active_count: 0,
      comparable_days: 2,
      baseline_inbound: 2,
      excess_inbound: 0,
      load_ratio: 1,
    });
    // Saturday 10 Oct: the contact data begins on 5 Oct, so nothing to compare with
    expect(await day('2026-10-10')).toMatchObject({
      comparable_days: 0,
      baseline_inbound: null,
      excess_inbound: null,
      load_ratio: null,
    });
  });

  it("customer_360 carries each customer's campaign history", async () => {
    const rows = await wh.all<Row>(
      `SELECT customer_id, campaigns_sent, campaigns_held_out,
              CAST(last_campaign_sent_at AS VARCHAR) AS last_sent, last_campaign_name,
              campaigns_responded, CAST(last_campaign_response_at AS VARCHAR) AS last_response,
              unsubscribed_after_campaign, CAST(campaign_unsubscribed_at AS VARCHAR) AS unsubscribed_at,
              complained_after_campaign, CAST(campaign_complained_at AS VARCHAR) AS complained_at
       FROM marts.customer_360 WHERE customer_id IN (1, 3, 4, 6, 8, 10) ORDER BY customer_id`,
    );
    const none = {
      unsubscribed_after_campaign: false,
      unsubscribed_at: null,
      complained_after_campaign: false,
      complained_at: null,
    };
    expect(rows).toEqual([
      // K1 (bought on its 14th day) and K2 (visited the next day)
      {
        customer_id: 1,
        campaigns_sent: 2,
        campaigns_held_out: 0,
        last_sent: '2026-11-20 10:00:00+00',
        last_campaign_name: 'Winter SMS',
        campaigns_responded: 2,
        last_response: '2026-11-21 09:00:00+00',
        ...none,
      },
      // K1 and K2; complained to the contact centre the day after K2
      {
        customer_id: 3,
        campaigns_sent: 2,
        campaigns_held_out: 0,
        last_sent: '2026-11-20 10:00:00+00',
        last_campaign_name: 'Winter SMS',
        campaigns_responded: 0,
        last_response: null,
        ...none,
        complained_after_campaign: true,
        complained_at: '2026-11-21 09:00:00+00',
      },
      // two records, two sends of K1: one campaign
      {
        customer_id: 4,
        campaigns_sent: 1,
        campaigns_held_out: 0,
        last_sent: '2026-11-02 10:00:00+00',
        last_campaign_name: 'Broadband',
        campaigns_responded: 1,
        last_response: '2026-11-03 09:00:00+00',
        ...none,
      },
      // the household partner who bought: never sent anything
      {
        customer_id: 6,
        campaigns_sent: 0,
        campaigns_held_out: 0,
        last_sent: null,
        last_campaign_name: null,
        campaigns_responded: 0,
        last_response: null,
        ...none,
      },
      {
        customer_id: 8,
        campaigns_sent: 1,
        campaigns_held_out: 0,
        last_sent: '2026-11-02 10:00:00+00',
        last_campaign_name: 'Broadband',
        campaigns_responded: 0,
        last_response: null,
        unsubscribed_after_campaign: true,
        unsubscribed_at: '2026-11-03 08:00:00+00',
        complained_after_campaign: true,
        complained_at: '2026-11-04 09:00:00+00',
      },
      // held out of K1 (and bought): not sent, so no response counted
      {
        customer_id: 10,
        campaigns_sent: 0,
        campaigns_held_out: 1,
        last_sent: null,
        last_campaign_name: null,
        campaigns_responded: 0,
        last_response: null,
        ...none,
      },
    ]);
  });
});
