import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildSegmentMembers, SegmentRuleError } from '../../jobs/reports/marts/segments.ts';
import { builtWorld } from './fixture/built.ts';

describe('marts.customer_segments on the fixture world', () => {
  let wh: Warehouse;
  const now = new Date();
  beforeAll(async () => {
    wh = await builtWorld(now);
  });
  afterAll(() => wh.close());

  it('puts every current customer in a lifecycle stage from the purchase history', async () => {
    const rows = await wh.all(
      'SELECT customer_id, lifecycle_stage FROM marts.customer_segments ORDER BY customer_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.lifecycle_stage]))).toEqual({
      1: 'won_back', // bought 400 and 30 days ago: back after more than a year
      2: 'active', // first and last purchase 100 days ago
      3: 'new',
      4: 'new',
      6: 'new',
      7: 'new',
      9: 'new',
      5: 'at_risk', // 200 days
      8: 'lapsed', // 500 days
    });
  });

  it('scores RFM among buyers with ties sharing a score', async () => {
    const rows = await wh.all(
      'SELECT customer_id, frequency, f_score, m_score, rfm_cell FROM marts.customer_segments ORDER BY customer_id',
    );
    const f = Object.fromEntries(rows.map((r) => [r.customer_id, r.f_score]));
    expect([f[1], f[9]]).toEqual([5, 5]); // two purchases each
    expect(new Set([f[2], f[3], f[4], f[5], f[6], f[7], f[8]])).toEqual(new Set([4])); // seven with one purchase: 7/9 → 4
    expect(rows.find((r) => r.customer_id === 1)?.m_score).toBe(5);
    expect(rows.every((r) => /^[0-5]{3}$/.test(String(r.rfm_cell)))).toBe(true);
  });

  it('computes lifetime value, profitability where cost is mapped, channels and value tier', async () => {
    const anna = await wh.one('SELECT * FROM marts.customer_segments WHERE customer_id = 1');
    expect(anna?.clv_historical).toBe(1000);
    // yearly revenue 1000 / (about 400 days in years) over 3 years at won-back retention 0.6
    const years =
      (now.getTime() - (anna?.first_purchase_at as Date).getTime()) / 86_400_000 / 365.25;
    expect(years).toBeGreaterThan(399 / 365.25);
    expect(anna?.clv_projected).toBeCloseTo((1000 / years) * (0.6 + 0.36 + 0.216), 1);
    expect(anna?.profit).toBeNull();
    expect(anna?.preferred_channel).toBe('phone');
    expect(anna?.acquisition_channel).toBe('billing');
    expect(anna?.value_tier).toBe('high');
    const igor = await wh.one('SELECT * FROM marts.customer_segments WHERE customer_id = 9');
    expect(igor?.profit).toBe(120); // orders 300 at cost 180; the cancelled order is left out
    expect(igor?.margin).toBeCloseTo(0.4, 6);
    expect(igor?.acquisition_channel).toBe('web');
    expect(igor?.preferred_channel).toBe('email');
    const carl = await wh.one(
      'SELECT preferred_channel FROM marts.customer_segments WHERE customer_id = 3',
    );
    expect(carl?.preferred_channel).toBe('phone'); // opted out of e-mail
  });

  it('leaves deleted customers out and keeps geography and household size', async () => {
    expect(
      await wh.scalar('SELECT count(*) FROM marts.customer_segments WHERE customer_id = 10'),
    ).toBe(0);
    const anna = await wh.one(
      'SELECT country, city, household_size FROM marts.customer_segments WHERE customer_id = 1',
    );
    expect(anna).toEqual({ country: 'RU', city: 'Moscow', household_size: 2 });
  });

  it('puts a customer in every segment whose rule matches', async () => {
    const rows = await wh.all(
      'SELECT segment FROM marts.segment_members WHERE customer_id = 1 ORDER BY segment',
    );
    expect(rows.map((r) => r.segment)).toEqual(['buyers', 'household_heads']);
    expect(
      await wh.scalar("SELECT count(*) FROM marts.segment_members WHERE segment = 'buyers'"),
    ).toBe(9);
    expect(
      await wh.one("SELECT customers, built FROM marts.segments WHERE segment = 'household_heads'"),
    ).toEqual({ customers: 2, built: true });
  });

  it('names a segment whose rule is not valid, builds the others, and drops nothing', async () => {
    const rules = [
      { name: 'good', where: "lifecycle_stage = 'new'" },
      { name: 'unknown_column', where: 'shoe_size > 40' },
      { name: 'not_boolean', where: 'city' },
      { name: 'smuggled_union', where: 'TRUE) UNION (SELECT 42' },
      { name: 'two_statements', where: 'TRUE); DROP TABLE marts.customer_360; --' },
      { name: 'broken', where: 'frequency >' },
    ];
    const err = await buildSegmentMembers(wh, rules).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SegmentRuleError);
    const message = (err as Error).message;
    const lines = message.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^reports\.segments "unknown_column": .*shoe_size/);
    expect(lines[1]).toMatch(/^reports\.segments "not_boolean": the where condition does not work/);
    expect(lines[2]).toMatch(
      /^reports\.segments "smuggled_union": the where condition must be one boolean condition/,
    );
    expect(lines[3]).toMatch(/^reports\.segments "two_statements": /);
    expect(lines[4]).toMatch(/^reports\.segments "broken": the where condition is not valid SQL/);
    expect(message).not.toMatch(/\n\s+at /); // no stack trace
    expect(await wh.tableExists('marts', 'customer_360')).toBe(true);
    expect(
      await wh.scalar("SELECT count(*) FROM marts.segment_members WHERE segment = 'good'"),
    ).toBe(5);
    expect(
      await wh.scalar("SELECT count(*) FROM marts.segment_members WHERE segment <> 'good'"),
    ).toBe(0);
    const status = await wh.all('SELECT segment, built FROM marts.segments ORDER BY segment');
    expect(status.filter((s) => s.built).map((s) => s.segment)).toEqual(['good']);
  });
});
