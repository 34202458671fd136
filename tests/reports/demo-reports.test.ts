import { existsSync } from 'node:fs';
import path from 'node:path';
import { parsePhoneNumber } from 'libphonenumber-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import { buildCampaign, CAMPAIGN_EXCLUSIONS_QUERY } from '../../jobs/reports/lists/campaign.ts';
import { checkProspects, PROSPECT_CHECKED_QUERY } from '../../jobs/reports/lists/prospects.ts';
import { buildSegmentMembers } from '../../jobs/reports/marts/segments.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';

/** The same answers as on the hand-made fixture, on the demo company after a real nightly run. */
describe('reports on the demo company', () => {
  const tmp = tempDir('cdw-reports-demo-');
  let config: CdwConfig;
  let summary: RunSummary;
  let wh: Warehouse;
  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    await generateDemo({ dir, customers: 3000, nights: 2, seed: 42, logger: silentLogger });
    config = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
    summary = await runPipeline(config, { trigger: 'test', logger: silentLogger });
    wh = await Warehouse.open(config.warehouse.path);
  });
  afterAll(() => {
    wh?.close();
    tmp.cleanup();
  });

  it('the nightly run builds every mart and writes the reports', () => {
    expect(
      summary.steps
        .filter((s) => s.status !== 'succeeded')
        .map((s) => `${s.step} ${s.source}: ${s.error}`),
    ).toEqual([]);
    const units = summary.steps
      .filter((s) => s.step === 'marts' && s.source !== '')
      .map((s) => s.source);
    expect(units).toEqual([
      // first: customer_360 and service_daily carry their campaign columns
      'campaign_results',
      'campaign_service_load',
      'customer_360',
      'customer_segments',
      'segment_members',
      'cross_sell',
      'service_daily',
      'data_quality',
      'nightly_trend',
    ]);
    expect(existsSync(path.join(config.reports.dir, 'overview.html'))).toBe(true);
    expect(existsSync(path.join(config.reports.dir, 'customer_360.csv'))).toBe(true);
  });

  it('a customer known to billing who called the contact centre lists both, with first seen', async () => {
    const who = await wh.one<{ customer_id: number; first_contact: Date }>(`
      SELECT f.customer_id, min(f.opened_at) AS first_contact
      FROM core.fact_interactions f
      WHERE f.source = 'contact_center' AND f.customer_id IN (SELECT customer_id FROM core.customer_xref WHERE source = 'billing')
      GROUP BY f.customer_id ORDER BY f.customer_id LIMIT 1`);
    expect(who, 'the demo has a billing customer who called').toBeDefined();
    const c = await wh.one('SELECT known_to FROM marts.customer_360 WHERE customer_id = $1', [
      who!.customer_id,
    ]);
    expect(c?.known_to).toEqual(expect.arrayContaining(['billing', 'contact_center']));
    const cc = await wh.one(
      "SELECT first_seen, interactions FROM marts.customer_systems WHERE customer_id = $1 AND source = 'contact_center'",
      [who!.customer_id],
    );
    expect(cc?.first_seen).toEqual(who!.first_contact);
    expect(Number(cc?.interactions)).toBeGreaterThan(0);
  });

  it('a customer who complained yesterday is left out of a campaign with reason recent_complaint', async () => {
    const complaint = await wh.one<{ customer_id: number; opened_at: Date }>(
      'SELECT customer_id, opened_at FROM core.fact_interactions WHERE is_complaint AND customer_id IS NOT NULL ORDER BY opened_at, customer_id LIMIT 1',
    );
    expect(complaint, 'the demo has a complaint from a known customer').toBeDefined();
    await buildSegmentMembers(wh, [{ name: 'everyone', where: 'TRUE' }]);
    const dayAfter = new Date(complaint!.opened_at.getTime() + 86_400_000);
    const r = await buildCampaign(wh, { segment: 'everyone', complaintDays: 30, asOf: dayAfter });
    expect(r.byReason.recent_complaint).toBeGreaterThanOrEqual(1);
    const reasons = (await wh.all(CAMPAIGN_EXCLUSIONS_QUERY))
      .filter((x) => x.customer_id === complaint!.customer_id)
      .map((x) => x.reason);
    expect(reasons).toContain('recent_complaint');
    await buildCampaign(wh, {
      segment: 'everyone',
      complaintDays: 30,
      asOf: new Date(complaint!.opened_at.getTime() + 45 * 86_400_000),
    });
    const later = (await wh.all(CAMPAIGN_EXCLUSIONS_QUERY))
      .filter((x) => x.customer_id === complaint!.customer_id)
      .map((x) => x.reason);
    expect(later).not.toContain('recent_complaint');
  });

  it("an existing customer's phone, written the national way, is removed from a prospect list", async () => {
    const rec = await wh.one<{ phone_e164: string }>(
      "SELECT phone_e164 FROM staging.party_records WHERE source = 'billing' AND phone_e164 IS NOT NULL ORDER BY party_uid LIMIT 1",
    );
    expect(rec, 'a billing customer with a phone').toBeDefined();
    const parsed = parsePhoneNumber(rec!.phone_e164);
    const national = parsed.formatNational(); // "(212) 293-7674", "8 (977) 868-06-32"
    expect(national).not.toBe(rec!.phone_e164);
    const r = await checkProspects(wh, [national, '+7 900 000-00-01'], parsed.country ?? 'US');
    expect(r).toMatchObject({ read: 2, existingCustomer: 1 });
    expect((await wh.all(PROSPECT_CHECKED_QUERY))[0]).toMatchObject({
      as_given: national,
      phone: rec!.phone_e164,
      status: 'existing_customer',
    });
  });

  it('finds the cross-sell couple: the husband lacks the car insurance his wife holds', async () => {
    const rows = await wh.all(`
      SELECT x.product, x.full_name AS lacks, list(c.full_name) AS held_by
      FROM marts.cross_sell x, unnest(x.holders) h(holder) JOIN core.dim_customer c ON c.customer_id = h.holder
      WHERE x.full_name LIKE 'David%Miller' AND x.product ILIKE '%car%insurance%'
      GROUP BY ALL`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.held_by).toEqual([expect.stringMatching(/^Sarah.*Miller$/)]);
  });

  it('service metrics add up to the contacts in the facts', async () => {
    const mart = await wh.one(
      'SELECT sum(contacts) AS contacts, sum(complaints) AS complaints, sum(abandoned) AS abandoned FROM marts.service_daily',
    );
    const facts = await wh.one(
      'SELECT count(*) AS contacts, count(*) FILTER (WHERE is_complaint) AS complaints, count(*) FILTER (WHERE is_abandoned) AS abandoned FROM core.fact_interactions WHERE opened_at IS NOT NULL',
    );
    expect(mart).toEqual(facts);
    expect(Number(facts?.complaints)).toBeGreaterThan(0);
  });
});
