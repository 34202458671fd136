import { readFileSync } from 'node:fs';
import type { OverviewData } from './overview-data.ts';
import { esc, formatCount, formatPercent } from './svg-common.ts';
import {
  campaignsSection,
  crossSellSection,
  customersSection,
  moneyText,
  qualitySection,
  segmentsSection,
  serviceSection,
  trendsSection,
} from './overview-sections.ts';
import { fill, html } from './template.ts';

/**
 * The overview as one self-contained HTML page (templates/page.html and a template per
 * section): inline CSS (overview.css holds every colour), charts as inline SVG, no scripts, no
 * network. Shows aggregates only (counts, shares, source and segment names) — no customer data.
 */
export function renderOverview(d: OverviewData): string {
  const css = readFileSync(new URL('./overview.css', import.meta.url), 'utf8');
  const k = d.kpis;
  const share = k.customers ? (k.multiSystem ?? 0) / k.customers : null;
  const revenue = moneyText(
    d.revenueByCurrency.map((r) => ({ currency: r.currency, amount: r.revenue })),
  );
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
    ['Revenue, last 12 months', revenue || '–', 'invoices, orders and sales net of refunds'],
    ['Visited the web site', formatCount(k.webVisitors), 'customers with a recognised session'],
    [
      'Open complaints',
      formatCount(k.openComplaints),
      `${formatCount(k.complainedRecently)} customers complained in the last ${d.complaintDays} days`,
    ],
    [
      'Rows rejected',
      formatCount(k.rejectedLastRun),
      'in the last run, every one kept with its reason',
    ],
  ];
  const run = d.run;
  const sub =
    `${d.asOf ? `As of ${d.asOf.toISOString().slice(0, 10)} (the latest business date in the data) · ` : ''}` +
    `generated ${stamp(d.generatedAt)}` +
    (run
      ? ` · run ${run.runId} ${run.status === 'running' ? '(written by this run)' : run.status}`
      : ' · no run recorded yet');
  return fill('page', {
    css: html(css),
    sub,
    kpis: html(
      kpis
        .map(
          ([key, value, note]) =>
            fill('kpi', { key, value, note, long: value.length > 12 ? ' long' : '' }).html,
        )
        .join(''),
    ),
    missing: html(
      d.missing.length > 0
        ? `<div class="missing">Not built yet: ${d.missing.map((m) => `marts.${esc(m)}`).join(', ')} — run <code>cdw run</code>; those parts of this page stay empty.</div>`
        : '',
    ),
    sections: html(
      [
        trendsSection(d),
        customersSection(d),
        segmentsSection(d),
        campaignsSection(d),
        crossSellSection(d),
        serviceSection(d),
        qualitySection(d),
      ].join('\n'),
    ),
  }).html;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d{2}\.\d+Z$/, ' UTC');
}
