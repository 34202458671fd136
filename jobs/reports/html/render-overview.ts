import { readFileSync } from 'node:fs';
import type { OverviewData } from './overview-data.ts';
import { esc, formatCount, formatMoney, formatPercent } from './svg-common.ts';

/** "1.21M USD · 17.9M RUB": revenue is never added up across currencies. */
function revenueText(d: OverviewData): string {
  const shown = d.revenueByCurrency
    .slice(0, 2)
    .map((r) => `${formatMoney(r.revenue)} ${r.currency}`);
  return shown.length === 0
    ? '–'
    : shown.join(' · ') + (d.revenueByCurrency.length > 2 ? ' …' : '');
}
import {
  customersSection,
  qualitySection,
  segmentsSection,
  serviceSection,
} from './overview-sections.ts';

/**
 * The overview as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts,
 * no network. Shows aggregates only (counts, shares, source and segment names) — no customer data.
 */
export function renderOverview(d: OverviewData): string {
  const css = readFileSync(new URL('./overview.css', import.meta.url), 'utf8');
  const k = d.kpis;
  const share = k.customers ? (k.multiSystem ?? 0) / k.customers : null;
  const kpis: [string, string, string][] = [
    [
      'Customers',
      formatCount(k.customers),
      k.deleted ? `${formatCount(k.deleted)} no longer in any source` : 'one profile per person',
    ],
    [
      'Source records',
      formatCount(k.sourceRecords),
      `from ${formatCount(k.sources)} sources, ${formatCount(k.systems)} systems`,
    ],
    ['Known to 2+ systems', formatPercent(share), `${formatCount(k.multiSystem)} customers`],
    ['Households', formatCount(k.households), 'of two or more people'],
    ['Revenue, last 12 months', revenueText(d), 'invoices, orders and sales net of refunds'],
    ['Visited the web site', formatCount(k.webVisitors), 'customers with a recognised session'],
    [
      'Open complaints',
      formatCount(k.openComplaints),
      `${formatCount(k.complainedRecently)} customers complained recently`,
    ],
    [
      'Rows rejected',
      formatCount(k.rejectedLastRun),
      'in the last run, every one kept with its reason',
    ],
  ];
  const run = d.run;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>cdw overview</title>
<style>${css}</style></head>
<body>
<header class="top">
  <h1>Customer data warehouse — overview</h1>
  <div class="sub">Generated ${esc(stamp(d.generatedAt))}${
    run
      ? ` · run ${esc(run.runId)}${run.status === 'running' ? ' (written by this run)' : ` <span class="status ${esc(run.status)}">${esc(run.status)}</span>`}${run.startedAt ? ` started ${esc(stamp(run.startedAt))}` : ''}`
      : ' · no run recorded yet'
  }</div>
  <nav class="toc"><a href="#customers">Customers &amp; sources</a><a href="#segments">Segments</a><a href="#service">Service</a><a href="#quality">Data quality</a></nav>
</header>
<main>
<div class="kpis">${kpis.map(([key, v, note]) => `<div class="kpi"><div class="k">${esc(key)}</div><div class="v${v.length > 12 ? ' long' : ''}">${esc(v)}</div><div class="d">${esc(note)}</div></div>`).join('')}</div>
${d.missing.length > 0 ? `<div class="missing">Not built yet: ${d.missing.map((m) => `marts.${esc(m)}`).join(', ')} — run <code>cdw run</code>; those parts of this page stay empty.</div>` : ''}
${customersSection(d)}
${segmentsSection(d)}
${serviceSection(d)}
${qualitySection(d)}
<footer>cdw · every figure is computed from the marts schema of the warehouse (marts.customer_360, customer_segments, service_daily, data_quality). This page contains counts only, no customer records.</footer>
</main>
</body></html>
`;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d{2}\.\d+Z$/, ' UTC');
}
