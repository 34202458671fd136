import type { OverviewData, SourceRow } from './overview-data.ts';
import { horizontalBars, verticalBars } from './svg-bar-chart.ts';
import { heatmap } from './svg-heatmap.ts';
import { lineChart } from './svg-line-chart.ts';
import { colorAt, esc, formatCount, formatPercent } from './svg-common.ts';

/** A day with this many times the contacts of the 28 days before is marked as a surge. */
const SURGE_RATIO = 2.5;

const STAGE_COLORS: Readonly<Record<string, string>> = {
  new: '#0891b2',
  active: '#16a34a',
  won_back: '#7c3aed',
  at_risk: '#f59e0b',
  lapsed: '#dc2626',
  prospect: '#94a3b8',
};
const TIER_COLORS: Readonly<Record<string, string>> = {
  top: '#1d4ed8',
  high: '#2563eb',
  medium: '#60a5fa',
  low: '#93c5fd',
  none: '#cbd5e1',
};

const total = (rows: readonly { customers: number }[]) => rows.reduce((s, r) => s + r.customers, 0);
const share = (n: number, of: number) => (of > 0 ? formatPercent(n / of, 0) : '');

function card(title: string, hint: string, body: string, wide = false): string {
  return `<div class="card${wide ? ' wide' : ''}"><h3>${esc(title)}</h3><p class="hint">${esc(hint)}</p>${body}</div>`;
}

function meter(share: number | null, goodAbove = 0.9, warnAbove = 0.6): string {
  if (share === null) return '';
  const cls = share >= goodAbove ? '' : share >= warnAbove ? ' warn' : ' bad';
  return `<span class="meter${cls}"><i style="width:${Math.round(Math.min(1, Math.max(0, share)) * 100)}%"></i></span>`;
}

export function customersSection(d: OverviewData): string {
  const systems = verticalBars(
    d.systemsPerCustomer.map((r) => ({
      label: String(r.systems),
      value: r.customers,
      color: r.systems >= 2 ? '#2563eb' : '#94a3b8',
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
      color: colorAt(i),
      note: d.kpis.customers ? formatPercent(r.customers / d.kpis.customers, 0) : undefined,
    })),
    { title: 'Customers known to each system' },
  );
  const linked = horizontalBars(
    d.linkedBy.map((r) => ({
      label: LINKED_BY[r.linked_by] ?? r.linked_by,
      value: r.records,
      color: r.linked_by === 'self' ? '#94a3b8' : '#16a34a',
    })),
    { title: 'How source records were linked to a customer', labelWidth: 190, width: 1040 },
  );
  return `<section id="customers"><h2>Customers &amp; sources</h2>
<p class="lead">One profile per person across billing, ERP, shop tills, the web site and the contact centre. A customer known to several systems is where departments work with the same person without knowing it.</p>
<div class="grid">
${card('Customers by number of systems', 'How many departments know each customer (through a record or through contacts, purchases, visits).', systems)}
${card('Known to each system', 'Customers each system knows; a customer counts once per system.', known)}
${card('How records were matched', 'The first record of each customer is its own; the others were linked by a shared identifier or by the probabilistic match.', linked, true)}
${card('Sources', 'Each source table in the last run: rows read and landed, records now, duplicates inside the table, matched to another source (people) or linked to a customer (events), and field completeness.', sourcesTable(d.sources), true)}
</div></section>`;
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
  return `<table><thead><tr><th>source table</th><th>entity</th><th class="n">read</th><th class="n">landed</th><th class="n">rejected</th><th class="n">records</th><th class="n">duplicates</th><th class="n">matched / linked</th><th class="n">complete</th></tr></thead><tbody>${body}</tbody></table>`;
}

export function segmentsSection(d: OverviewData): string {
  const stages = horizontalBars(
    d.lifecycle.map((r) => ({
      label: r.stage.replace('_', ' '),
      value: r.customers,
      color: STAGE_COLORS[r.stage] ?? '#64748b',
      note: share(r.customers, total(d.lifecycle)),
    })),
    { title: 'Customers by lifecycle stage' },
  );
  const tiers = horizontalBars(
    d.valueTiers.map((r) => ({
      label: r.tier,
      value: r.customers,
      color: TIER_COLORS[r.tier] ?? '#64748b',
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
      : `<table><thead><tr><th>segment</th><th>description</th><th class="n">customers</th><th>status</th></tr></thead><tbody>${d.segments
          .map(
            (s) =>
              `<tr><td><b>${esc(s.segment)}</b></td><td>${esc(s.description ?? '')}</td><td class="n">${formatCount(s.customers)}</td><td>${s.built ? '<span class="ok">built</span>' : `<span class="bad">not built: ${esc(s.problem ?? '')}</span>`}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section id="segments"><h2>Segments</h2>
<p class="lead">Lifecycle from purchase history: new (first purchase within 90 days), active (bought within 180 days), won back (returned after more than a year), at risk (180–365 days), lapsed (over a year), prospect (never bought). Value tiers rank buyers by revenue: top 10%, high 20%, medium 30%, low the rest.</p>
<div class="grid">
${card('Lifecycle stage', 'Customers in each stage and their share of all customers.', stages)}
${card('Value tiers', 'Buyers ranked by revenue within their currency; none = never bought.', tiers)}
${card('Recency × frequency', 'Buyers by score 1–5 (5 = most recent, most frequent); darker = more customers. Top right are the best customers, bottom left the ones slipping away.', rfm)}
${card('Configured segments', 'Rules from reports.segments; a customer can be in several. Campaign lists: cdw report campaign --segment NAME.', segs)}
</div></section>`;
}

export function serviceSection(d: OverviewData): string {
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
      { name: 'contacts', color: '#93c5fd', values: days.map((x) => x.contacts), asBars: true },
      { name: 'repeat within 7 days', color: '#7c3aed', values: days.map((x) => x.repeats) },
      { name: 'abandoned', color: '#f59e0b', values: days.map((x) => x.abandoned) },
      { name: 'complaints', color: '#dc2626', values: days.map((x) => x.complaints) },
    ],
    { title: 'Contact-centre contacts per day', labels: days.map((x) => x.day), marks },
  );
  const total = (f: (x: (typeof days)[number]) => number) =>
    days.slice(-30).reduce((s, x) => s + f(x), 0);
  const contacts30 = total((x) => x.contacts);
  const channels = horizontalBars(
    d.serviceChannels.map((c, i) => ({
      label: c.channel,
      value: c.contacts,
      color: colorAt(i),
      note:
        c.median_hours === null ? undefined : `median ${c.median_hours.toFixed(1)} h to resolve`,
    })),
    { title: 'Contacts by channel, last 30 days', labelWidth: 110, width: 1040 },
  );
  return `<section id="service"><h2>Service</h2>
<p class="lead">Calls, e-mails, chats and tickets per day. Shaded days had at least ${SURGE_RATIO} times the contacts of the 28 days before — the surge after a campaign shows here.</p>
<div class="grid">
${card('Contacts per day, last 90 days', 'Bars are contacts; lines are repeat contacts (same customer again within 7 days), abandoned calls and complaints.', `<div class="stats"><div><b>${formatCount(contacts30)}</b>contacts, last 30 days</div><div><b>${formatPercent(contacts30 ? total((x) => x.abandoned) / contacts30 : null)}</b>abandoned</div><div><b>${formatPercent(contacts30 ? total((x) => x.repeats) / contacts30 : null)}</b>repeat within 7 days</div><div><b>${formatCount(total((x) => x.complaints))}</b>complaints</div><div><b>${formatCount(marks.length)}</b>surge days in 90</div></div>${chart}`, true)}
${card('Channels', 'Where contacts come in, and how long they take to resolve.', channels, true)}
</div></section>`;
}

export function qualitySection(d: OverviewData): string {
  const runs = [...d.runs].reverse();
  const history = lineChart(
    [
      {
        name: 'rows landed',
        color: '#93c5fd',
        values: runs.map((r) => r.rows_landed),
        asBars: true,
      },
      { name: 'rows rejected', color: '#dc2626', values: runs.map((r) => r.rows_rejected) },
    ],
    {
      title: 'Rows landed and rejected per run',
      labels: runs.map((r) => (r.started_at ? r.started_at.toISOString().slice(0, 10) : r.run_id)),
      width: 520,
      height: 240,
    },
  );
  const rejections =
    d.rejections.length === 0
      ? '<p class="ok">No rows rejected in the last run.</p>'
      : `<table><thead><tr><th>source table</th><th>stage</th><th>reason</th><th class="n">rows</th></tr></thead><tbody>${d.rejections
          .slice(0, 12)
          .map(
            (r) =>
              `<tr><td>${esc(r.source)}.${esc(r.source_table)}</td><td>${esc(r.stage)}</td><td>${esc(r.reason)}</td><td class="n">${formatCount(r.rows)}</td></tr>`,
          )
          .join(
            '',
          )}</tbody></table>${d.rejections.length > 12 ? `<p class="hint">…and ${d.rejections.length - 12} more (source table, reason) pairs with ${formatCount(d.rejections.slice(12).reduce((s, r) => s + r.rows, 0))} rows: see marts.data_quality_rejections.</p>` : ''}`;
  return `<section id="quality"><h2>Data quality</h2>
<p class="lead">Nothing is dropped silently: every row that could not be read or typed is kept in meta.rejected_rows with its reason. Completeness is the share of records with the field filled (<i>_valid</i>: usable after standardisation).</p>
<div class="grid">
${card('Runs', 'Rows landed (bars) and rejected (line) in the recent runs.', history)}
${card('Rejected rows, last run', 'By source table, stage and reason.', rejections)}
${card('Field completeness, last run', 'Mapped fields per source table; green is complete, red is mostly empty.', completenessTable(d), true)}
${card('Source schema changes, last 30 days', 'Columns the sources added, dropped or retyped; a change to a column the config reads stops that table (on_schema_change).', schemaChangesTable(d), true)}
</div></section>`;
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
  return `<table><thead><tr><th>when</th><th>source table</th><th>column</th><th>change</th><th>read by</th><th>outcome</th></tr></thead><tbody>${d.schemaChanges
    .slice(0, 20)
    .map(
      (c) =>
        `<tr><td>${esc(c.detected_at.toISOString().slice(0, 10))}</td><td>${esc(c.source)}.${esc(c.source_table)}</td><td>${esc(c.column_name)}</td><td>${esc(what(c))}</td><td>${esc(c.read_by ?? '')}</td><td class="${c.action === 'failed' ? 'bad' : ''}">${esc(ACTIONS[c.action] ?? c.action)}</td></tr>`,
    )
    .join(
      '',
    )}</tbody></table>${d.schemaChanges.length > 20 ? `<p class="hint">…and ${d.schemaChanges.length - 20} more: see meta.schema_changes.</p>` : ''}`;
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
};

function completenessTable(d: OverviewData): string {
  if (d.completeness.length === 0) return '<p class="muted">No completeness figures yet.</p>';
  const rank = (f: string) =>
    FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length;
  const shade = (v: number) => `hsl(${Math.round(v * 130)}, 62%, ${Math.round(88 - v * 10)}%)`;
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
                return v === undefined
                  ? '<td class="na">·</td>'
                  : `<td style="background:${shade(v)}" title="${esc(t)} ${esc(f)}: ${formatPercent(v)}">${Math.round(v * 100)}%</td>`;
              })
              .join('')}</tr>`,
        )
        .join('');
      return `<h4>${esc(ENTITY_TITLES[entity] ?? entity)}</h4><div class="scroll"><table class="heat"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
    })
    .join('');
}
