import { Warehouse } from './foundation/duckdb-client.ts';
import { buildMarts } from './jobs/reports/build-marts.ts';
import { loadConfig } from './jobs/config/load.ts';
import { sourceTablesFromConfig } from './jobs/reports/marts/source-tables.ts';
import { businessAsOf } from './jobs/reports/business-date.ts';
const config = loadConfig('/tmp/quiet-wh/cdw.yaml');
const wh = await Warehouse.open('/tmp/quiet-prof.duckdb');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let c0 = cpu();
const asOf = await businessAsOf(wh);
console.log('asOf', (cpu() - c0).toFixed(2));
for (const runId of ['prof-1', 'prof-2']) {
  const t0 = cpu();
  let last = cpu();
  await buildMarts(wh, { runId, asOf, complaintDays: config.reports.complaintDays, segments: config.reports.segments, campaigns: config.campaigns, sourceTables: sourceTablesFromConfig(config.sources) },
    async (name, fn) => { const a = cpu(); console.log('  (between)', (a - last).toFixed(2)); await fn(); last = cpu(); console.log(name.padEnd(25), (last - a).toFixed(2)); return { status: 'succeeded', error: null }; });
  console.log('tail', (cpu() - last).toFixed(2), 'total', (cpu() - t0).toFixed(2));
}
wh.close();
