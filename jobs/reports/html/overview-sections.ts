import type { Money, OverviewData, SourceRow } from './overview-data.ts';
import { EXCLUSION_REASONS } from '../lists/campaign.ts';
import { responseChart } from './campaign-results-chart.ts';
import { horizontalBars, verticalBars } from './svg-bar-chart.ts';
import { heatmap } from './svg-heatmap.ts';
import { lineChart } from './svg-line-chart.ts';
import { esc, formatCount, formatMoney, formatPercent, toneAt } from './svg-common.ts';
import { fill, html, type Html } from './template.ts';

/** A day with this many times the contacts of the 28 days before is marked as a surge. */
export const SURGE_RATIO = 2.5;

const total = (rows: readonly { customers: number }[]) => rows.reduce((s, r) => s + r.customers, 0);
const share = (n: number, of: number) => (of > 0 ? formatPercent(n / of, 0) : '');

/** "1.21M USD · 17.9M RUB": money per currency, never added up. */
export function moneyText(list: readonly Money[], max = 2): string {
  const shown = list.slice(0, max).map((r) => `${formatMoney(r.amount)} ${r.currency}`);
  return shown.length === 0 ? '' : shown.join(' · ') + (list.length > max ? ' …' : '');
}

function meter(share: number | null, goodAbove = 0.9, warnAbove = 0.6): string {
  if (share === null) return '';
  const cls = share >= goodAbove ? '' : share >= warnAbove ? ' warn' : ' bad';
  const w = Math.round(Math.min(1, Math.max(0, share)) * 20) * 5;
  return `<span class="meter${cls}"><i class="w${w}"></i></span>`;
}

/** A table that may be wider than a phone: it scrolls inside its card. */
const scroll = (table: string) => `<div class="scroll">${table}</div>`;

export function trendsSection(d: OverviewData): Html {
  const labels = d.trend.map((t) => t.business_date);
  const customers = lineChart(
    [{ name: 'customers', tone: 'p0', values: d.trend.map((t) => t.customers) }],
    {
      title: 'Customers per business date',
      labels,
      width: 520,
      height: 240,
    },
  );
  const churn = lineChart(
    [
      { name: 'new', tone: 'good', values: d.trend.map((t) => t.new_customers), asBars: true },
      { name: 'merged', tone: 'violet', values: d.trend.map((t) => t.merged) },
    ],
    { title: 'New and merged customers per business date', labels, width: 520, height: 240 },
  );
  const dates = [...new Set(d.revenueTrend.map((r) => r.business_date))];
  const currencies = [...new Set(d.revenueTrend.map((r) => r.currency))];
  const revenue = lineChart(
    currencies.map((c, i) => ({
      name: c,
      tone: toneAt(i),
      values: dates.map(
        (day) =>
          d.revenueTrend.find((r) => r.business_date === day && r.currency === c)?.revenue_12m ?? 0,
      ),
    })),
    {
      title: 'Revenue of the last 12 months per currency, per business date',
      labels: dates,
      width: 520,
      height: 240,
      format: formatMoney,
    },
  );
  const rejected = lineChart(
    [{ name: 'rows rejected', tone: 'red', values: d.trend.map((t) => t.rows_rejected) }],
    { title: 'Rows rejected per business date', labels, width: 520, height: 240 },
  );
  return fill('trends', {
    customers: html(customers),
    churn: html(churn),
    revenue: html(revenue),
    rejected: html(rejected),
  });
}

const LINKED_BY: Readonly<Record<string, string>> = {
  self: 'first record (own)',
  email: 'same e-mail',
  phone: 'same phone',
  loyalty_card: 'same loyalty card',
  web_user_id: 'same web login',
  xref: 'cross-reference',
  probabilistic: 'probabilistic match',
  override: 'manual override',
};

export function customersSection(d: OverviewData): Html {
  const systems = verticalBars(
    d.systemsPerCustomer.map((r) => ({
      label: String(r.systems),
      value: r.customers,
      tone: r.systems >= 2 ? 'p0' : 'muted',
    })),
    {
      title: 'Customers by number of systems that know them',
      axisLabel: 'systems (departments) that know the customer',
    },
  );
  const known = horizontalBars(
    d.knownTo.map((r, i) => ({
      label: r.system,
      value: r.customers,
      tone: toneAt(i),
      note: d.kpis.customers ? formatPercent(r.customers / d.kpis.customers, 0) : undefined,
    })),
    { title: 'Customers known to each system' },
  );
  const linked = horizontalBars(
    d.linkedBy.map((r) => ({
      label: LINKED_BY[r.linked_by] ?? r.linked_by,
      value: r.records,
      tone: r.linked_by === 'self' ? 'muted' : 'good',
    })),
    { title: 'How source records were linked to a customer', labelWidth: 190, width: 1040 },
  );
  return fill('customers', {
    systems: html(systems),
    known: html(known),
    linked: html(linked),
    sources: html(sourcesTable(d.sources)),
  });
}

function sourcesTable(rows: readonly SourceRow[]): string {
  if (rows.length === 0) return '<p class="muted">No data-quality figures yet.</p>';
  const body = rows
    .map((r) => {
      const rate = r.entity === 'party' ? r.match_rate : r.linked_share;
      const rateNote = r.entity === 'party' ? 'matched' : 'linked';
      return `<tr><td><b>${esc(r.source)}</b>.${esc(r.source_table)}</td><td><span class="pill">${esc(r.entity ?? '?')}</span></td>
<td class="n">${formatCount(r.rows_read)}</td><td class="n">${formatCount(r.rows_landed)}</td><td class="n${(r.rows_rejected ?? 0) > 0 ? ' bad' : ''}">${formatCount(r.rows_rejected)}</td>
<td class="n">${formatCount(r.records)}</td><td class="n">${r.entity === 'party' ? formatPercent(r.duplicate_rate) : ''}</td>
<td class="n">${formatPercent(rate)} <span class="muted">${rate === null ? '' : rateNote}</span></td>
<td class="n">${formatPercent(r.completeness, 0)}${meter(r.completeness)}</td></tr>`;
    })
    .join('');
  return scroll(
    `<table><thead><tr><th>source table</th><th>entity</th><th class="n">read</th><th class="n">landed</th><th class="n">rejected</th><th class="n">records</th><th class="n">duplicates</th><th class="n">matched / linked</th><th class="n">complete</th></tr></thead><tbody>${body}</tbody></table>`,
  );
}

export function segmentsSection(d: OverviewData): Html {
  const stages = horizontalBars(
    d.lifecycle.map((r) => ({
      label: r.stage.replace('_', ' '),
      value: r.customers,
      tone: `stage-${r.stage}`,
      note: [share(r.customers, total(d.lifecycle)), moneyText(r.revenue, 1)]
        .filter(Boolean)
        .join(' · '),
    })),
    { title: 'Customers by lifecycle stage' },
  );
  const tiers = horizontalBars(
    d.valueTiers.map((r) => ({
      label: r.tier,
      value: r.customers,
      tone: `tier-${r.tier}`,
      note: share(r.customers, total(d.valueTiers)),
    })),
    { title: 'Customers by value tier', labelWidth: 90 },
  );
  const cellOf = new Map(d.rfm.map((x) => [`${x.r}:${x.f}`, x.customers]));
  const rfm = heatmap({
    title: 'Customers by recency and frequency score',
    rowTitle: 'recency',
    colTitle: 'frequency score',
    rows: ['5', '4', '3', '2', '1'],
    cols: ['1', '2', '3', '4', '5'],
    value: (r, c) => cellOf.get(`${5 - r}:${c + 1}`) ?? 0,
  });
  const segs =
    d.segments.length === 0
      ? '<p class="muted">No segments declared. Add rules under <code>reports.segments</code> in cdw.yaml (a name and an SQL condition over marts.customer_segments).</p>'
      : scroll(
          `<table><thead><tr><th>segment</th><th>description</th><th class="n">customers</th><th>status</th></tr></thead><tbody>${d.segments
            .map(
              (s) =>
                `<tr><td><b>${esc(s.segment)}</b></td><td>${esc(s.description ?? '')}</td><td class="n">${formatCount(s.customers)}</td><td>${s.built ? '<span class="ok">built</span>' : `<span class="bad">not built: ${esc(s.problem ?? '')}</span>`}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        );
  return fill('segments', {
    stages: html(stages),
    tiers: html(tiers),
    rfm: html(rfm),
    segments: html(segs),
  });
}

const REASON_TITLES: Readonly<Record<string, string>> = {
  recent_complaint: 'complained recently',
  open_complaint: 'open complaint',
  open_ticket: 'open ticket',
  unsubscribed: 'unsubscribed from a campaign',
  campaign_complaint: 'complained about a campaign',
  opted_out: 'opted out',
  deceased: 'deceased',
  closed: 'account closed',
  no_contact_point: 'no address to reach',
};

export function campaignsSection(d: OverviewData): Html {
  const table =
    d.campaigns.length === 0
      ? '<p class="muted">No segments built yet: declare them under <code>reports.segments</code> in cdw.yaml.</p>'
      : scroll(
          `<table class="reasons"><thead><tr><th>segment</th><th class="n">members</th><th class="n">on the list</th>${EXCLUSION_REASONS.map((r) => `<th class="n">${esc(REASON_TITLES[r] ?? r)}</th>`).join('')}</tr></thead><tbody>${d.campaigns
            .map(
              (c) =>
                `<tr><td><b>${esc(c.segment)}</b></td><td class="n">${formatCount(c.members)}</td><td class="n">${formatCount(c.included)}</td>${EXCLUSION_REASONS.map((r) => `<td class="n${c.byReason[r] === 0 ? ' zero' : ''}">${formatCount(c.byReason[r])}</td>`).join('')}</tr>`,
            )
            .join('')}</tbody></table>`,
        );
  return fill('campaigns', {
    complaint_days: d.complaintDays,
    table: html(table),
    results: html(responseChart(d.campaignResults.results)),
    load: html(loadTable(d)),
  });
}

/** The contact centre in each campaign's window beside the comparable days before it. */
function loadTable(d: OverviewData): string {
  const rows = d.campaignResults.load;
  if (rows.length === 0) return '<p class="muted">No campaign sends yet.</p>';
  return scroll(
    `<table><thead><tr><th>campaign</th><th>from</th><th class="n">days</th><th class="n">contacts</th><th class="n">usual</th><th class="n">over usual</th><th class="n">busiest day</th><th class="n">abandoned</th><th class="n">usually</th></tr></thead><tbody>${rows
      .map((r) => {
        const over = r.baseline === null ? null : r.contacts - r.baseline;
        return `<tr><td><b>${esc(r.campaign)}</b></td><td>${esc(r.firstDay)}</td><td class="n">${formatCount(r.days)}</td><td class="n">${formatCount(r.contacts)}</td><td class="n">${r.baseline === null ? '–' : formatCount(Math.round(r.baseline))}</td><td class="n">${over === null ? '–' : `${over >= 0 ? '+' : ''}${formatCount(Math.round(over))}`}</td><td class="n">${r.peakRatio === null ? '–' : `×${r.peakRatio.toFixed(1)}`}</td><td class="n">${formatPercent(r.abandonmentRate)}</td><td class="n">${formatPercent(r.baselineAbandoned)}</td></tr>`;
      })
      .join('')}</tbody></table>`,
  );
}

export function crossSellSection(d: OverviewData): Html {
  const products = horizontalBars(
    d.crossSell.map((r, i) => ({
      label: r.product,
      value: r.offers,
      tone: toneAt(i),
      note: `${formatCount(r.households)} households`,
    })),
    { title: 'Cross-sell offers by product' },
  );
  const offers = d.crossSell.reduce((s, r) => s + r.offers, 0);
  const stats = `<div class="stats"><div><b>${formatCount(d.crossSellHouseholds)}</b>households with an offer</div><div><b>${formatCount(offers)}</b>offers in the top products</div></div>`;
  return fill('cross-sell', { products: html(products), stats: html(stats) });
}

export function serviceSection(d: OverviewData): Html {
  const days = d.serviceDays;
  const marks = days.flatMap((x, i) =>
    x.surge !== null && x.surge >= SURGE_RATIO && x.contacts >= 10
      ? [
          {
            index: i,
            note: `${formatCount(x.contacts)} contacts, ${x.surge.toFixed(1)}× the usual`,
          },
        ]
      : [],
  );
  const chart = lineChart(
    [
      { name: 'contacts', tone: 'light', values: days.map((x) => x.contacts), asBars: true },
      { name: 'repeat within 7 days', tone: 'violet', values: days.map((x) => x.repeats) },
      { name: 'abandoned', tone: 'amber', values: days.map((x) => x.abandoned) },
      { name: 'complaints', tone: 'red', values: days.map((x) => x.complaints) },
    ],
    { title: 'Contact-centre contacts per day', labels: days.map((x) => x.day), marks },
  );
  const sum = (f: (x: (typeof days)[number]) => number) =>
    days.slice(-30).reduce((s, x) => s + f(x), 0);
  const contacts30 = sum((x) => x.contacts);
  const channels = horizontalBars(
    d.serviceChannels.map((c, i) => ({
      label: c.channel,
      value: c.contacts,
      tone: toneAt(i),
      note:
        c.median_hours === null ? undefined : `median ${c.median_hours.toFixed(1)} h to resolve`,
    })),
    { title: 'Contacts by channel, last 30 days', labelWidth: 110, width: 1040 },
  );
  const stats = `<div class="stats"><div><b>${formatCount(contacts30)}</b>contacts, last 30 days</div><div><b>${formatPercent(contacts30 ? sum((x) => x.abandoned) / contacts30 : null)}</b>abandoned</div><div><b>${formatPercent(contacts30 ? sum((x) => x.repeats) / contacts30 : null)}</b>repeat within 7 days</div><div><b>${formatCount(sum((x) => x.complaints))}</b>complaints</div><div><b>${formatCount(marks.length)}</b>surge days in 90</div></div>`;
  return fill('service', {
    surge_ratio: SURGE_RATIO,
    stats: html(stats),
    chart: html(chart),
    channels: html(channels),
  });
}

export function qualitySection(d: OverviewData): Html {
  const runs = [...d.runs].reverse();
  const history = lineChart(
    [
      { name: 'rows landed', tone: 'light', values: runs.map((r) => r.rows_landed), asBars: true },
      { name: 'rows rejected', tone: 'red', values: runs.map((r) => r.rows_rejected) },
    ],
    {
      title: 'Rows landed and rejected per run',
      labels: runs.map((r) => r.business_date ?? r.run_id),
      width: 520,
      height: 240,
    },
  );
  const rejections =
    d.rejections.length === 0
      ? '<p class="ok">No rows rejected in the last run.</p>'
      : `${scroll(
          `<table><thead><tr><th>source table</th><th>stage</th><th>reason</th><th class="n">rows</th></tr></thead><tbody>${d.rejections
            .slice(0, 12)
            .map(
              (r) =>
                `<tr><td>${esc(r.source)}.${esc(r.source_table)}</td><td>${esc(r.stage)}</td><td>${esc(r.reason)}</td><td class="n">${formatCount(r.rows)}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        )}${d.rejections.length > 12 ? `<p class="hint">…and ${d.rejections.length - 12} more (source table, reason) pairs with ${formatCount(d.rejections.slice(12).reduce((s, r) => s + r.rows, 0))} rows: see marts.data_quality_rejections.</p>` : ''}`;
  return fill('quality', {
    history: html(history),
    rejections: html(rejections),
    completeness: html(completenessTable(d)),
    schema_changes: html(schemaChangesTable(d)),
  });
}

const ACTIONS: Readonly<Record<string, string>> = {
  failed: 'load stopped',
  warned: 'loaded, warned',
  evolved: 'accepted',
  recorded: 'recorded',
};

function schemaChangesTable(d: OverviewData): string {
  if (d.schemaChanges.length === 0)
    return '<p class="ok">No source changed its columns in the last 30 days.</p>';
  const what = (c: OverviewData['schemaChanges'][number]) =>
    c.change === 'retyped'
      ? `type ${c.old_type ?? '?'} → ${c.new_type ?? '?'}`
      : c.change === 'missing'
        ? 'not in the source'
        : c.change;
  return `${scroll(
    `<table><thead><tr><th>when</th><th>source table</th><th>column</th><th>change</th><th>read by</th><th>outcome</th></tr></thead><tbody>${d.schemaChanges
      .slice(0, 20)
      .map(
        (c) =>
          `<tr><td>${esc(c.detected_at.toISOString().slice(0, 10))}</td><td>${esc(c.source)}.${esc(c.source_table)}</td><td>${esc(c.column_name)}</td><td>${esc(what(c))}</td><td>${esc(c.read_by ?? '')}</td><td class="${c.action === 'failed' ? 'bad' : ''}">${esc(ACTIONS[c.action] ?? c.action)}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  )}${d.schemaChanges.length > 20 ? `<p class="hint">…and ${d.schemaChanges.length - 20} more: see meta.schema_changes.</p>` : ''}`;
}

/** Fields in the order people read a record; anything else after them. */
const FIELD_ORDER = [
  'first_name',
  'last_name',
  'full_name',
  'company',
  'email',
  'email_valid',
  'phone',
  'phone_valid',
  'mobile',
  'mobile_valid',
  'address',
  'postcode',
  'city',
  'country',
  'birth_date',
  'gender',
  'loyalty_card',
  'web_user_id',
  'consent_email',
  'consent_phone',
  'status',
  'updated_at',
  'party_key',
  'amount',
  'cost',
  'currency',
  'product',
  'product_category',
  'channel',
  'direction',
  'queue',
  'category',
  'is_complaint',
  'opened_at',
  'resolved_at',
  'occurred_at',
  'cookie_id',
  'user_id',
  'url',
  'referrer',
  'user_agent',
];
const ENTITY_TITLES: Readonly<Record<string, string>> = {
  party: 'People and companies',
  transaction: 'Transactions',
  interaction: 'Contacts',
  web_hit: 'Web logs',
  campaign: 'Campaigns',
  campaign_contact: 'Campaign contacts',
};

function completenessTable(d: OverviewData): string {
  if (d.completeness.length === 0) return '<p class="muted">No completeness figures yet.</p>';
  const rank = (f: string) =>
    FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length;
  const at = new Map(
    d.completeness.map((c) => [`${c.table_name}\u0000${c.field}`, c.completeness]),
  );
  return [...new Set(d.completeness.map((c) => c.entity))]
    .sort((a, b) => Object.keys(ENTITY_TITLES).indexOf(a) - Object.keys(ENTITY_TITLES).indexOf(b))
    .map((entity) => {
      const rows = d.completeness.filter((c) => c.entity === entity);
      const tables = [...new Set(rows.map((c) => c.table_name))];
      const fields = [...new Set(rows.map((c) => c.field))].sort(
        (a, b) => rank(a) - rank(b) || a.localeCompare(b),
      );
      const head = fields.map((f) => `<th>${esc(f.replaceAll('_', ' '))}</th>`).join('');
      const body = tables
        .map(
          (t) =>
            `<tr><td class="rowname">${esc(t)}</td>${fields
              .map((f) => {
                const v = at.get(`${t}\u0000${f}`);
                // the shade is a class of overview.css: q0 (empty) … q10 (complete)
                return v === undefined
                  ? '<td class="na">·</td>'
                  : `<td class="q${Math.round(v * 10)}" title="${esc(t)} ${esc(f)}: ${formatPercent(v)}">${Math.round(v * 100)}%</td>`;
              })
              .join('')}</tr>`,
        )
        .join('');
      return `<h4>${esc(ENTITY_TITLES[entity] ?? entity)}</h4>${scroll(`<table class="heat"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`)}`;
    })
    .join('');
}
