import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { builtWorld } from './fixture/built.ts';

/** The fixture's contacts, counted by hand (tests/reports/fixture/world.ts). */
describe('marts.service_daily matches a hand count', () => {
  let wh: Warehouse;
  const now = new Date();
  const dayIso = (k: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - k * 86_400_000)
      .toISOString()
      .slice(0, 10);
  beforeAll(async () => {
    wh = await builtWorld(now);
  });
  afterAll(() => wh.close());

  const row = (k: number, channel: string, queue: string) =>
    wh.one(
      "SELECT * EXCLUDE (day) FROM marts.service_daily WHERE strftime(day, '%Y-%m-%d') = $1 AND channel = $2 AND queue = $3",
      [dayIso(k), channel, queue],
    );

  it('yesterday on the support line: two calls, one abandoned, one repeat, one complaint resolved in 2 hours', async () => {
    expect(await row(1, 'phone', 'support')).toMatchObject({
      contacts: 2,
      inbound: 2,
      outbound: 0,
      customers: 1,
      unidentified: 1,
      abandoned: 1,
      abandonment_rate: 0.5,
      repeat_contacts_7d: 1,
      repeat_rate: 0.5, // Anna called 4 days earlier too
      resolved: 1,
      still_open: 0,
      avg_resolution_hours: 2,
      median_resolution_hours: 2,
      complaints: 1,
    });
  });

  it("five days ago: Anna's first call, resolved in 4 hours, not a repeat; baseline from 28 days before", async () => {
    const r = await row(5, 'phone', 'support');
    expect(r).toMatchObject({
      contacts: 1,
      repeat_contacts_7d: 0,
      resolved: 1,
      avg_resolution_hours: 4,
      complaints: 0,
    });
    expect(r?.baseline_28d).toBeCloseTo(1 / 28, 10); // Gus's call 20 days ago
  });

  it('shows the campaign surge on the sales line per day', async () => {
    const r = await row(2, 'phone', 'sales');
    expect(r).toMatchObject({
      contacts: 6,
      customers: 0,
      unidentified: 6,
      resolved: 6,
      avg_resolution_hours: 1,
    });
    expect(r?.baseline_28d).toBeCloseTo(1 / 8, 10); // one call 10 days ago over the 8 days the line existed
    expect(r?.surge_ratio).toBeCloseTo(48, 10);
    expect((await row(10, 'phone', 'sales'))?.surge_ratio).toBeNull(); // no history before the first day
  });

  it('an open ticket is counted as still open and not resolved', async () => {
    expect(await row(3, 'email', 'support')).toMatchObject({
      contacts: 1,
      resolved: 0,
      still_open: 1,
      avg_resolution_hours: null,
    });
  });

  it('has one row per day, channel and queue with contacts', async () => {
    expect(await wh.scalar('SELECT count(*) FROM marts.service_daily')).toBe(7);
    expect(await wh.scalar('SELECT sum(contacts) FROM marts.service_daily')).toBe(13);
  });
});
