import { tablesIn, type Queryable, type Row } from '../../../foundation/duckdb-client.ts';
import {
  recentSchemaChanges,
  type SchemaChangeRow,
} from '../../../connectors/core/schema-report.ts';
import { buildCampaign, EXCLUSION_REASONS, type ExclusionReason } from '../lists/campaign.ts';
import { collectCampaignOverview, type CampaignOverview } from './campaign-results-data.ts';
import { businessAsOf, lastMartsAsOf } from '../business-date.ts';

/** Aggregates the overview shows. Only counts and names of sources/segments — no customer data. */
export interface OverviewData {
  readonly generatedAt: Date;
  /** the business "as of" of the marts (the latest business date in the data) */
  readonly asOf: Date | null;
  readonly complaintDays: number;
  /** one point per business date: the latest run of that date */
  readonly trend: readonly {
    business_date: string;
    customers: number;
    new_customers: number;
    merged: number;
    rows_rejected: number;
  }[];
  readonly revenueTrend: readonly {
    business_date: string;
    currency: string;
    revenue_12m: number;
  }[];
  readonly crossSell: readonly { product: string; offers: number; households: number }[];
  readonly crossSellHouseholds: number | null;
  /** per configured segment: members, on the list, left out by reason */
  readonly campaigns: readonly {
    segment: string;
    members: number;
    included: number;
    byReason: Readonly<Record<ExclusionReason, number>>;
  }[];
  /** response per campaign variant, and the contact centre's load after each campaign */
  readonly campaignResults: CampaignOverview;
  readonly run: {
    readonly runId: string;
    readonly status: string;
    readonly startedAt: Date | null;
  } | null;
  readonly kpis: Readonly<Record<string, number | null>>;
  /** revenue of the last 12 months per currency, largest first ('mixed' for customers paying in several) */
  readonly revenueByCurrency: readonly { currency: string; revenue: number }[];
  readonly systemsPerCustomer: readonly { systems: number; customers: number }[];
  readonly knownTo: readonly { system: string; customers: number }[];
  readonly linkedBy: readonly { linked_by: string; records: number }[];
  readonly sources: readonly SourceRow[];
  /** revenue per currency: money is never added across currencies */
  readonly lifecycle: readonly { stage: string; customers: number; revenue: Money[] }[];
  readonly valueTiers: readonly { tier: string; customers: number; revenue: Money[] }[];
  readonly rfm: readonly { r: number; f: number; customers: number }[];
  readonly segments: readonly {
    segment: string;
    description: string | null;
    customers: number | null;
    built: boolean;
    problem: string | null;
  }[];
  readonly serviceDays: readonly {
    day: string;
    contacts: number;
    complaints: number;
    abandoned: number;
    repeats: number;
    surge: number | null;
  }[];
  readonly serviceChannels: readonly {
    channel: string;
    contacts: number;
    abandoned: number;
    complaints: number;
    median_hours: number | null;
  }[];
  readonly rejections: readonly {
    source: string;
    source_table: string;
    stage: string;
    reason: string;
    rows: number;
  }[];
  readonly completeness: readonly {
    entity: string;
    table_name: string;
    field: string;
    completeness: number;
  }[];
  readonly runs: readonly {
    run_id: string;
    started_at: Date | null;
    business_date: string | null;
    rows_landed: number;
    rows_rejected: number;
  }[];
  /** Columns the sources added, dropped or retyped in the last 30 days, newest first (meta.schema_changes). */
  readonly schemaChanges: readonly SchemaChangeRow[];
  /** marts that were missing, so their sections say so */
  readonly missing: readonly string[];
}

export interface Money {
  readonly currency: string;
  readonly amount: number;
}

export interface SourceRow {
  readonly source: string;
  readonly source_table: string;
  readonly entity: string | null;
  readonly records: number | null;
  readonly rows_read: number | null;
  readonly rows_landed: number | null;
  readonly rows_rejected: number | null;
  readonly duplicate_rate: number | null;
  readonly match_rate: number | null;
  readonly linked_share: number | null;
  readonly completeness: number | null;
}

/** Customers and revenue per currency of each group (a stage, a tier). */
function perGroup<K extends string>(
  rows: readonly { g: string; currency: string | null; customers: number; revenue: number }[],
  key: K,
  order: readonly string[],
): ({ customers: number; revenue: Money[] } & Record<K, string>)[] {
  const groups = [...new Set(rows.map((r) => r.g))].sort(
    (a, b) => order.indexOf(a) - order.indexOf(b),
  );
  return groups.map(
    (g) =>
      ({
        [key]: g,
        customers: rows.filter((r) => r.g === g).reduce((n, r) => n + Number(r.customers), 0),
        revenue: rows
          .filter((r) => r.g === g && r.currency !== null && Number(r.revenue) !== 0)
          .map((r) => ({ currency: r.currency!, amount: Number(r.revenue) }))
          .sort((a, b) => b.amount - a.amount),
      }) as { customers: number; revenue: Money[] } & Record<K, string>,
  );
}

/** Reads everything the overview shows. Missing marts leave their parts empty and are listed. */
export async function collectOverview(
  wh: Queryable,
  now = new Date(),
  opts: { complaintDays?: number } = {},
): Promise<OverviewData> {
  const complaintDays = opts.complaintDays ?? 30;
  const missing: string[] = [];
  // the marts read from the catalog once: nothing here creates or drops one, and each catalog
  // look-up costs milliseconds (most of the overview's CPU when it asked before every query)
  const marts = await tablesIn(wh, 'marts');
  const has = (table: string) => {
    const ok = marts.has(table);
    if (!ok && !missing.includes(table)) missing.push(table);
    return ok;
  };
  const rows = async <T extends Row>(
    tables: readonly string[],
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> => {
    for (const t of tables) if (!has(t)) return [];
    return wh.all<T>(sql, params as never);
  };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const asOf =
    (await lastMartsAsOf(wh)) ??
    ((await wh.tableExists('core', 'fact_transactions')) ? await businessAsOf(wh, now) : null);
  const asOfTable = marts.has('run_as_of')
    ? 'SELECT run_id, business_date FROM marts.run_as_of'
    : 'SELECT NULL::VARCHAR AS run_id, NULL::DATE AS business_date WHERE false';

  const dqRun = has('data_quality')
    ? ((await wh.scalar<string | undefined>(
        'SELECT run_id FROM marts.data_quality ORDER BY computed_at DESC LIMIT 1',
      )) ?? null)
    : null;
  const runRow =
    dqRun === null
      ? undefined
      : await wh.one<{ run_id: string; status: string; started_at: Date }>(
          'SELECT run_id, status, started_at FROM meta.runs WHERE run_id = $1',
          [dqRun],
        );

  const kpi = has('customer_360')
    ? await wh.one(`
        SELECT count(*) FILTER (WHERE NOT is_deleted) AS customers,
               count(*) FILTER (WHERE is_deleted) AS deleted,
               count(*) FILTER (WHERE NOT is_deleted AND system_count >= 2) AS multi_system,
               count(DISTINCT household_id) FILTER (WHERE household_size > 1) AS households,
               sum(revenue_12m) FILTER (WHERE NOT is_deleted) AS revenue_12m,
               sum(open_complaints) AS open_complaints,
               count(*) FILTER (WHERE complaints_recent > 0) AS complained_recently,
               count(*) FILTER (WHERE web_sessions > 0) AS web_visitors
        FROM marts.customer_360`)
    : undefined;
  const xref = await wh
    .one('SELECT count(*) AS records, count(DISTINCT source) AS sources FROM core.customer_xref')
    .catch(() => undefined);
  const systems = has('customer_systems')
    ? await wh.scalar('SELECT count(DISTINCT system) FROM marts.customer_systems')
    : null;
  const rejectedLast =
    dqRun === null
      ? null
      : await wh.scalar(
          'SELECT coalesce(sum(rows), 0) FROM marts.data_quality_rejections WHERE run_id = $1',
          [dqRun],
        );

  return {
    generatedAt: now,
    run: runRow
      ? { runId: runRow.run_id, status: runRow.status, startedAt: runRow.started_at ?? null }
      : dqRun
        ? { runId: dqRun, status: 'unknown', startedAt: null }
        : null,
    kpis: {
      customers: num(kpi?.customers),
      deleted: num(kpi?.deleted),
      multiSystem: num(kpi?.multi_system),
      households: num(kpi?.households),
      revenue12m: num(kpi?.revenue_12m),
      openComplaints: num(kpi?.open_complaints),
      complainedRecently: num(kpi?.complained_recently),
      webVisitors: num(kpi?.web_visitors),
      sourceRecords: num(xref?.records),
      sources: num(xref?.sources),
      systems: num(systems),
      rejectedLastRun: num(rejectedLast),
    },
    revenueByCurrency: await rows(
      ['customer_360'],
      `
      SELECT coalesce(currency, '?') AS currency, sum(revenue_12m) AS revenue FROM marts.customer_360
      WHERE NOT is_deleted AND revenue_12m <> 0 GROUP BY 1 ORDER BY revenue DESC`,
    ),
    systemsPerCustomer:
      dqRun === null
        ? []
        : await wh.all(
            'SELECT systems, customers FROM marts.data_quality_systems WHERE run_id = $1 ORDER BY systems',
            [dqRun],
          ),
    knownTo: await rows(
      ['customer_systems'],
      'SELECT system, count(DISTINCT customer_id) AS customers FROM marts.customer_systems GROUP BY system ORDER BY customers DESC, system',
    ),
    linkedBy: await wh
      .all<{ linked_by: string; records: number }>(
        "SELECT coalesce(linked_by, 'unknown') AS linked_by, count(*) AS records FROM core.customer_xref GROUP BY ALL ORDER BY records DESC",
      )
      .catch(() => []),
    sources:
      dqRun === null
        ? []
        : await wh.all<SourceRow & Row>(
            `SELECT source, source_table, entity, records, rows_read, rows_landed, rows_rejected, duplicate_rate, match_rate, linked_share, completeness
       FROM marts.data_quality WHERE run_id = $1 ORDER BY entity NULLS LAST, source, source_table`,
            [dqRun],
          ),
    lifecycle: perGroup(
      await rows(
        ['customer_segments'],
        'SELECT lifecycle_stage AS g, currency, count(*) AS customers, coalesce(sum(monetary), 0) AS revenue FROM marts.customer_segments GROUP BY ALL',
      ),
      'stage',
      ['new', 'active', 'won_back', 'at_risk', 'lapsed', 'prospect'],
    ),
    valueTiers: perGroup(
      await rows(
        ['customer_segments'],
        'SELECT value_tier AS g, currency, count(*) AS customers, coalesce(sum(monetary), 0) AS revenue FROM marts.customer_segments GROUP BY ALL',
      ),
      'tier',
      ['top', 'high', 'medium', 'low', 'none'],
    ),
    rfm: await rows(
      ['customer_segments'],
      'SELECT r_score AS r, f_score AS f, count(*) AS customers FROM marts.customer_segments WHERE r_score > 0 GROUP BY ALL',
    ),
    segments: await rows(
      ['segments'],
      'SELECT segment, description, customers, built, problem FROM marts.segments ORDER BY segment',
    ),
    serviceDays: await rows(
      ['service_daily'],
      `
      WITH d AS (
        SELECT day, sum(contacts) AS contacts, sum(complaints) AS complaints, sum(abandoned) AS abandoned, sum(repeat_contacts_7d) AS repeats,
               sum(contacts) / nullif(sum(baseline_28d), 0) AS surge
        FROM marts.service_daily GROUP BY day
      ),
      span AS (SELECT greatest(min(day), max(day) - INTERVAL 89 DAY) AS first, max(day) AS last FROM d),
      days AS (SELECT unnest(generate_series(span.first, span.last, INTERVAL 1 DAY))::DATE AS day FROM span WHERE span.last IS NOT NULL)
      SELECT strftime(days.day, '%Y-%m-%d') AS day, coalesce(d.contacts, 0) AS contacts, coalesce(d.complaints, 0) AS complaints,
             coalesce(d.abandoned, 0) AS abandoned, coalesce(d.repeats, 0) AS repeats, d.surge
      FROM days LEFT JOIN d USING (day) ORDER BY days.day`,
    ),
    serviceChannels: await rows(
      ['service_daily'],
      `
      SELECT channel, sum(contacts) AS contacts, sum(abandoned) AS abandoned, sum(complaints) AS complaints,
             median(median_resolution_hours) AS median_hours
      FROM marts.service_daily WHERE day > (SELECT max(day) FROM marts.service_daily) - INTERVAL 30 DAY
      GROUP BY channel ORDER BY contacts DESC`,
    ),
    rejections:
      dqRun === null
        ? []
        : await wh.all(
            'SELECT source, source_table, stage, reason, rows FROM marts.data_quality_rejections WHERE run_id = $1 ORDER BY rows DESC, source, source_table, reason',
            [dqRun],
          ),
    completeness:
      dqRun === null
        ? []
        : await wh.all(
            "SELECT entity, source || '.' || source_table AS table_name, field, completeness FROM marts.data_quality_fields WHERE run_id = $1 ORDER BY entity, table_name, field",
            [dqRun],
          ),
    runs: await rows(
      ['data_quality'],
      `
      SELECT q.run_id, any_value(r.started_at) AS started_at,
             strftime(any_value(a.business_date), '%Y-%m-%d') AS business_date,
             coalesce(sum(q.rows_landed), 0) AS rows_landed,
             coalesce(sum(q.rows_rejected), 0) + coalesce(sum(q.rows_rejected_staging), 0) AS rows_rejected
      FROM marts.data_quality q LEFT JOIN meta.runs r USING (run_id)
      LEFT JOIN (${asOfTable}) a USING (run_id)
      GROUP BY q.run_id ORDER BY max(q.computed_at) DESC LIMIT 14`,
    ),
    asOf,
    complaintDays,
    trend: await rows<OverviewData['trend'][number] & Row>(
      ['nightly_trend'],
      `
      SELECT strftime(business_date, '%Y-%m-%d') AS business_date,
             arg_max(customers, computed_at) AS customers, arg_max(new_customers, computed_at) AS new_customers,
             arg_max(merged, computed_at) AS merged, coalesce(arg_max(rows_rejected, computed_at), 0) AS rows_rejected
      FROM marts.nightly_trend GROUP BY business_date ORDER BY business_date DESC LIMIT 90`,
    ).then((r) => r.reverse()),
    revenueTrend: await rows<OverviewData['revenueTrend'][number] & Row>(
      ['nightly_revenue'],
      `
      WITH latest AS (SELECT business_date, arg_max(run_id, computed_at) AS run_id FROM marts.nightly_revenue GROUP BY business_date)
      SELECT strftime(v.business_date, '%Y-%m-%d') AS business_date, coalesce(v.currency, '?') AS currency, v.revenue_12m::DOUBLE AS revenue_12m
      FROM marts.nightly_revenue v JOIN latest USING (business_date, run_id)
      ORDER BY v.business_date`,
    ),
    crossSell: await rows(
      ['cross_sell'],
      `
      SELECT product, count(*) AS offers, count(DISTINCT household_id) AS households
      FROM marts.cross_sell GROUP BY product ORDER BY offers DESC, product LIMIT 12`,
    ),
    crossSellHouseholds: has('cross_sell')
      ? num(await wh.scalar('SELECT count(DISTINCT household_id) FROM marts.cross_sell'))
      : null,
    campaigns: await campaignsOf(wh, complaintDays, asOf),
    campaignResults: await collectCampaignOverview(wh),
    schemaChanges: await recentSchemaChanges(wh, 30),
    missing,
  };
}

/** The exclusions of a campaign to each built segment (temp tables only: read-only is fine). */
async function campaignsOf(wh: Queryable, complaintDays: number, asOf: Date | null) {
  if (!(await wh.tableExists('marts', 'segments')) || asOf === null) return [];
  const built = await wh.all<{ segment: string }>(
    'SELECT segment FROM marts.segments WHERE built ORDER BY segment',
  );
  const out: OverviewData['campaigns'][number][] = [];
  for (const { segment } of built) {
    const r = await buildCampaign(wh, { segment, complaintDays, asOf });
    out.push({ segment, members: r.members, included: r.included, byReason: r.byReason });
  }
  await wh.run('DROP TABLE IF EXISTS temp.campaign_candidates');
  return out;
}

export { EXCLUSION_REASONS };
