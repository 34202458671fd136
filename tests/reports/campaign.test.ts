import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import {
  buildCampaign,
  campaignListQuery,
  CAMPAIGN_EXCLUSIONS_QUERY,
} from '../../jobs/reports/lists/campaign.ts';
import { builtWorld, SEGMENTS } from './fixture/built.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { RUN_ID, SOURCE_TABLES, seedWorld } from './fixture/world.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';

describe('campaign lists', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await builtWorld(new Date());
  });
  afterAll(() => wh.close());

  const exclusions = async () =>
    Object.fromEntries(
      (await wh.all(CAMPAIGN_EXCLUSIONS_QUERY)).map((r) => [r.customer_id, r.reason]),
    );

  it('excludes a customer with a complaint yesterday with reason recent_complaint, and counts every reason', async () => {
    const r = await buildCampaign(wh, { segment: 'buyers', channel: 'email', complaintDays: 30 });
    expect(r).toEqual({
      segment: 'buyers',
      channel: 'email',
      members: 9,
      included: 3,
      excluded: 6,
      byReason: {
        recent_complaint: 1,
        open_complaint: 0,
        open_ticket: 1,
        unsubscribed: 0,
        campaign_complaint: 0,
        opted_out: 1,
        deceased: 1,
        closed: 1,
        no_contact_point: 1,
      },
      asOf: expect.any(Date),
    });
    expect(await exclusions()).toEqual({
      1: 'recent_complaint',
      3: 'opted_out',
      4: 'deceased',
      5: 'closed',
      6: 'no_contact_point',
      7: 'open_ticket',
    });
    const list = await wh.all(campaignListQuery('email'));
    expect(list.map((x) => [x.customer_id, x.email])).toEqual([
      [2, 'ivan@example.ru'],
      [8, 'hana@example.com'],
      [9, 'igor@example.com'],
    ]);
  });

  it('uses the phone consent and phone numbers for a phone campaign', async () => {
    const r = await buildCampaign(wh, { segment: 'buyers', channel: 'phone', complaintDays: 30 });
    // Carl opted out of e-mail only; Fay has a phone; Igor has none
    expect(r.byReason).toEqual({
      recent_complaint: 1,
      open_complaint: 0,
      open_ticket: 1,
      unsubscribed: 0,
      campaign_complaint: 0,
      opted_out: 0,
      deceased: 1,
      closed: 1,
      no_contact_point: 1,
    });
    expect((await wh.all(campaignListQuery('phone'))).map((x) => x.customer_id)).toEqual([
      2, 3, 6, 8,
    ]);
    expect((await exclusions())[9]).toBe('no_contact_point');
  });

  it('a complaint outside the window does not exclude, and a wider window does', async () => {
    const narrow = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 30,
    });
    expect(narrow.byReason.recent_complaint).toBe(1);
    const wide = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 90,
    });
    expect(wide.byReason.recent_complaint).toBe(2); // Hana's complaint 60 days ago now counts
    expect((await exclusions())[8]).toBe('recent_complaint');
  });

  it('counts a member under each reason that applies', async () => {
    const r = await buildCampaign(wh, { segment: 'household_heads', complaintDays: 30 });
    expect(r.channel).toBe('any');
    expect(r.members).toBe(2);
    expect(r.excluded).toBe(1);
    expect(r.byReason.recent_complaint).toBe(1);
  });

  it('refuses an unknown segment by name', async () => {
    await expect(buildCampaign(wh, { segment: 'nobody', complaintDays: 30 })).rejects.toThrow(
      /segment "nobody" was not built by the last run \(segments: buyers, household_heads\)/,
    );
  });
});

describe('campaign lists as of the data', () => {
  // The world's events end on 2025-01-14 (its 'now' is the 15th); the wall clock is much later.
  const lastDay = new Date('2025-01-15T18:00:00Z');
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await seedWorld(wh, lastDay);
    // Ivan's complaint, opened 200 days before and still open
    await wh.run(
      `INSERT INTO core.fact_interactions (interaction_uid, customer_id, source, source_table, record_key, channel, direction, queue, is_complaint, is_abandoned, status, opened_at)
       VALUES ('cc.tickets:T9', 2, 'cc', 'tickets', 'T9', 'email', 'inbound', 'support', true, false, 'open', TIMESTAMPTZ '2024-06-29 10:00:00+00')`,
    );
    await buildMarts(wh, {
      runId: RUN_ID,
      complaintDays: 30,
      segments: SEGMENTS,
      sourceTables: SOURCE_TABLES,
    });
  });
  afterAll(() => wh.close());

  it('measures "recent" from the latest business date in the data, not from the wall clock', async () => {
    const r = await buildCampaign(wh, { segment: 'buyers', channel: 'email', complaintDays: 30 });
    expect(r.asOf.toISOString()).toBe('2025-01-14T23:59:59.999Z'); // the last day with events
    expect(r.byReason.recent_complaint).toBe(1); // Anna, the day before the last day
    const c360 = await wh.one<{ complaints_recent: number }>(
      'SELECT complaints_recent FROM marts.customer_360 WHERE customer_id = 1',
    );
    expect(c360?.complaints_recent).toBe(1);
  });

  it('excludes open complaints and open tickets whatever their age, each counted by reason', async () => {
    const r = await buildCampaign(wh, { segment: 'buyers', channel: 'email', complaintDays: 1 });
    expect(r.byReason.open_complaint).toBe(1); // Ivan's, 200 days old
    expect(r.byReason.open_ticket).toBe(2); // Ivan's and Gus's (3 days old, outside 1 day)
    expect(
      (await wh.all(CAMPAIGN_EXCLUSIONS_QUERY))
        .filter((x) => x.customer_id === 2)
        .map((x) => x.reason),
    ).toEqual(['open_complaint', 'open_ticket']);
    expect((await wh.all(campaignListQuery('email'))).map((x) => x.customer_id)).not.toContain(2);
  });

  it('takes --as-of over the data', async () => {
    const r = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 30,
      asOf: new Date('2024-09-01T00:00:00Z'),
    });
    expect(r.byReason.recent_complaint).toBe(0); // Anna's complaint comes later
    expect(r.byReason.open_complaint).toBe(1);
  });
});
