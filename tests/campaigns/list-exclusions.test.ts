import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildCampaign, CAMPAIGN_EXCLUSIONS_QUERY } from '../../jobs/reports/lists/campaign.ts';
import { builtWorld } from '../reports/fixture/built.ts';
import { insertRows } from '../reports/fixture/world.ts';

describe('campaign lists after earlier campaigns', () => {
  const now = new Date();
  const daysAgo = (k: number) => new Date(now.getTime() - k * 86_400_000).toISOString();
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await builtWorld(now);
  });
  afterEach(() => wh.close());

  it('leaves out a customer who unsubscribed from or complained about an earlier send, not one who only received it', async () => {
    const before = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 30,
      asOf: now,
    });
    const send = (key: string, customer: number, extra: Record<string, string>) => ({
      contact_uid: `mkt.sends:${key}`,
      customer_id: customer,
      campaign_uid: 'mkt.campaigns:K0',
      is_control: false,
      sent_at: daysAgo(100),
      ...extra,
    });
    await insertRows(wh, 'core.fact_campaign_contacts', [
      // Ivan unsubscribed from a send 100 days ago: out, whatever its age
      send('S2', 2, { unsubscribed_at: daysAgo(99) }),
      // Hana marked it as spam
      send('S8', 8, { complained_at: daysAgo(98) }),
      // Igor only got it
      send('S9', 9, {}),
    ]);
    const after = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 30,
      asOf: now,
    });
    expect(after.included).toBe(before.included - 2);
    expect(after.byReason.unsubscribed).toBe(1);
    expect(after.byReason.campaign_complaint).toBe(1);
    const reasons = Object.fromEntries(
      (await wh.all(CAMPAIGN_EXCLUSIONS_QUERY)).map((r) => [r.customer_id, r.reason]),
    );
    expect(reasons[2]).toBe('unsubscribed');
    expect(reasons[8]).toBe('campaign_complaint');
    expect(reasons[9]).toBeUndefined();
    // as of a date before the unsubscribe, Ivan was still on the list
    const earlier = await buildCampaign(wh, {
      segment: 'buyers',
      channel: 'email',
      complaintDays: 30,
      asOf: new Date(daysAgo(99.5)),
    });
    expect(earlier.byReason.unsubscribed).toBe(0);
  });
});
