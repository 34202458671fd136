import { Warehouse } from './foundation/duckdb-client.ts';
import { collectOverview } from './jobs/reports/html/overview-data.ts';
import { renderOverview } from './jobs/reports/html/render-overview.ts';
const wh = await Warehouse.open('/tmp/quiet-prof.duckdb');
const log: [number, string][] = [];
for (const m of ['all', 'one', 'scalar', 'run'] as const) {
  const orig = (wh as any)[m].bind(wh);
  (wh as any)[m] = async (sql: string, p?: unknown) => { const c0 = process.cpuUsage(); try { return await orig(sql, p); } finally { const c = process.cpuUsage(c0); log.push([(c.user + c.system) / 1e6, sql.replace(/\s+/g, ' ').slice(0, 110)]); } };
}
let c0 = process.cpuUsage();
const d = await collectOverview(wh);
let c = process.cpuUsage(c0); console.log('collect', (c.user + c.system) / 1e6);
c0 = process.cpuUsage(); renderOverview(d); c = process.cpuUsage(c0); console.log('render', (c.user + c.system) / 1e6);
log.sort((a, b) => b[0] - a[0]);
console.log('queries', log.length, 'sum', log.reduce((s, x) => s + x[0], 0).toFixed(2));
for (const [t, s] of log.slice(0, 15)) console.log(t.toFixed(3), s);
wh.close();
