import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { collectOverview } from '../../jobs/reports/html/overview-data.ts';
import { renderOverview } from '../../jobs/reports/html/render-overview.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { AS_OF, buildCampaignMarts, seedCampaignWorld } from './fixture.ts';

describe('the overview’s campaigns section', () => {
  let wh: Warehouse;
  let page: string;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await seedCampaignWorld(wh);
    await buildCampaignMarts(wh);
    page = renderOverview(await collectOverview(wh, AS_OF));
  });
  afterAll(() => wh.close());

  it('draws the response of each variant with its interval and the failure line', async () => {
    const d = await collectOverview(wh, AS_OF);
    expect(d.campaignResults.results.map((r) => [r.campaign, r.label, r.sent, r.failed])).toEqual([
      // the most recent campaign first; one without variants shows all its sends
      ['Winter SMS', 'all sends', 3, false],
      ['Broadband', 'variant A', 5, false],
      ['Broadband', 'variant B', 3, false],
    ]);
    const section = page.slice(page.indexOf('<section id="campaigns">'));
    expect(section).toContain('Response per variant');
    expect(section).toContain('2% failure line');
    expect(section).toContain('Broadband · variant A');
    // the title of a bar carries the interval and the control group
    expect(section).toMatch(
      /Broadband, variant A: 25\.0% of 5 sent \(95 % [\d.]+%–[\d.]+%\), control 25\.0%/,
    );
  });

  it("lists the contact centre's load after each campaign beside the usual", async () => {
    const d = await collectOverview(wh, AS_OF);
    const k1 = d.campaignResults.load.find((l) => l.campaign === 'Broadband')!;
    // 7 days from 2 November: 14 usual calls + 6 extra on the day + the complaint on 4 November
    expect(k1).toMatchObject({ firstDay: '2026-11-02', days: 7, contacts: 21, baseline: 14 });
    expect(k1.peakRatio).toBe(4);
    expect(page).toContain('The contact centre after each campaign');
    expect(page).toMatch(
      /<td><b>Broadband<\/b><\/td><td>2026-11-02<\/td><td class="n">7<\/td><td class="n">21<\/td><td class="n">14<\/td><td class="n">\+7<\/td><td class="n">×4\.0<\/td>/,
    );
  });
});
