import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { buildCampaignMarts, seedCampaignWorld } from './fixture.ts';

describe('cdw report campaign-results', () => {
  const t = tempDir('cdw-campaign-report-');
  const cfg = path.join(t.dir, 'cdw.yaml');
  const cdw = async (...args: string[]) => {
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', cfg, ...args], io);
    return { code, out: io.outText(), err: io.errText() };
  };
  beforeAll(async () => {
    writeFileSync(cfg, 'warehouse:\n  path: w.duckdb\nreports:\n  dir: out\n');
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'));
    try {
      await migrate(wh);
      await seedCampaignWorld(wh);
      await buildCampaignMarts(wh);
    } finally {
      wh.close();
    }
  });
  afterAll(() => t.cleanup());

  it('writes every campaign, or one named by key or name, and refuses one it does not know', async () => {
    const all = await cdw('report', 'campaign-results');
    expect(all.code, all.err).toBe(0);
    // K1: campaign, 2 variants, 2 regions, 4 variant × region; K2: campaign only (no variant, region)
    expect(all.out).toContain(`${path.join(t.dir, 'out', 'campaign_results.csv')}  (10 rows)`);

    const one = await cdw('report', 'campaign-results', '--campaign', 'K1');
    expect(one.code, one.err).toBe(0);
    const file = path.join(t.dir, 'out', 'campaign_results_mkt_campaigns_K1.csv');
    expect(one.out).toContain(`${file}  (9 rows)`);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toContain('response_rate_low');
    expect(lines.slice(1).every((l) => l.startsWith('mkt.campaigns:K1,Broadband,'))).toBe(true);

    const byName = await cdw('report', 'campaign-service-load', '--campaign', 'Winter SMS');
    expect(byName.code, byName.err).toBe(0);
    expect(byName.out).toContain('campaign_service_load_mkt_campaigns_K2.csv');

    const wrong = await cdw('report', 'campaign-results', '--campaign', 'K3');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('no campaign K3 in marts.campaign_results');
    expect(wrong.err).toContain('mkt.campaigns:K1');
  });
});
