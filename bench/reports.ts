import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMarts } from '../jobs/reports/build-marts.ts';
import { writeOverview } from '../jobs/reports/html/write-overview.ts';
import { buildCampaign } from '../jobs/reports/lists/campaign.ts';
import { REPORTS, exportReport } from '../jobs/reports/report-catalog.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import {
  contractWarehouse,
  seedSynthetic,
  SYNTHETIC_RUN_ID,
  SYNTHETIC_SOURCE_TABLES,
} from '../tests/reports/fixture/synthetic.ts';
import { peakRssMb, timed } from './measure.ts';

const HERE = fileURLToPath(import.meta.url);
const NOW = new Date(Date.UTC(2026, 2, 15, 6, 0, 0));
const SEGMENTS = [
  {
    name: 'loyal_high_value',
    where: "value_tier IN ('top', 'high') AND lifecycle_stage IN ('active', 'won_back')",
  },
  { name: 'win_back', where: "lifecycle_stage = 'at_risk'" },
  {
    name: 'car_without_home',
    where:
      "list_contains(products, 'car_insurance') AND NOT list_contains(products, 'home_insurance')",
  },
];

/**
 * All marts over a synthetic company of `customers` people (tests/reports/fixture/synthetic.ts,
 * generated in SQL by a child process so the peak RSS is the marts' own): about 1.7 party records,
 * 7 transactions, 1 contact and 1.3 page views per customer. Then every report file (CSV), the HTML
 * overview and one campaign list.
 *
 * `npm run bench -- reports --customers 1000000`
 */
export async function run(opts: {
  customers?: number;
  keep?: boolean;
}): Promise<Record<string, unknown>[]> {
  const customers = Math.max(100, Math.round(opts.customers ?? 1_000_000));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-reports-'));
  const file = path.join(dir, 'warehouse.duckdb');
  try {
    const gen = await timed(async () => generateInChild(file, customers));
    const wh = await Warehouse.open(file);
    try {
      const sizes =
        await wh.one(`SELECT (SELECT count(*) FROM core.dim_customer) AS customers_rows, (SELECT count(*) FROM staging.party_records) AS party_records,
        (SELECT count(*) FROM core.fact_transactions) AS transactions, (SELECT count(*) FROM core.fact_interactions) AS interactions,
        (SELECT count(*) FROM core.fact_page_views) AS page_views, (SELECT count(*) FROM core.dim_household) AS household_members`);
      const units: Record<string, number> = {};
      const marts = await timed(() =>
        buildMarts(
          wh,
          {
            runId: SYNTHETIC_RUN_ID,
            asOf: NOW,
            complaintDays: 30,
            segments: SEGMENTS,
            sourceTables: SYNTHETIC_SOURCE_TABLES,
          },
          async (name, fn) => {
            const t = await timed(fn);
            units[name] = t.seconds;
            return { status: 'succeeded', error: null };
          },
        ),
      );
      const marts_rss = peakRssMb();
      const files = await timed(async () => {
        for (const def of REPORTS) await exportReport(wh, def, path.join(dir, 'reports'), 'csv');
      });
      const html = await timed(() =>
        writeOverview(wh, path.join(dir, 'reports', 'overview.html'), NOW),
      );
      const campaign = await timed(() =>
        buildCampaign(wh, { segment: 'win_back', channel: 'email', complaintDays: 30, asOf: NOW }),
      );
      return [
        {
          customers,
          generate_seconds: gen.seconds,
          marts_seconds: marts.seconds,
          mart_seconds: units,
          report_files_seconds: files.seconds,
          overview_html_seconds: html.seconds,
          overview_html_kb: Math.round(html.value / 1024),
          campaign_list_seconds: campaign.seconds,
          campaign: { members: campaign.value.members, included: campaign.value.included },
          peak_rss_mb_after_marts: marts_rss,
          peak_rss_mb: peakRssMb(),
          warehouse_mb: Math.round(statSync(file).size / 1024 ** 2),
          ...sizes,
        },
      ];
    } finally {
      wh.close();
    }
  } finally {
    if (opts.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
}

function generateInChild(file: string, customers: number): void {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', HERE, 'generate', file, String(customers)],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0)
    throw new Error(`generating the synthetic company failed (exit ${r.status ?? r.signal})`);
}

async function generate(file: string, customers: number): Promise<void> {
  const wh = await contractWarehouse(file);
  try {
    await seedSynthetic(wh, customers, NOW);
    await wh.run('CHECKPOINT');
  } finally {
    wh.close();
  }
}

if (process.argv[1] === HERE && process.argv[2] === 'generate') {
  await generate(process.argv[3]!, Number(process.argv[4]));
}
