import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import {
  buildCampaign,
  campaignListQuery,
  CAMPAIGN_EXCLUSIONS_QUERY,
} from '../../jobs/reports/lists/campaign.ts';
import { builtWorld } from './fixture/built.ts';

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
        open_ticket: 1,
        opted_out: 1,
        deceased: 1,
        closed: 1,
        no_contact_point: 1,
      },
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
      open_ticket: 1,
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
