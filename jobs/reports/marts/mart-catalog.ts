import {
  DEFAULT_CAMPAIGN_SETTINGS,
  type CampaignSettings,
  type SegmentRule,
} from '../../../foundation/config-types.ts';
import type { Warehouse } from '../../../foundation/duckdb-client.ts';
import { reportSql } from '../sql-file.ts';
import { renderSql } from '../../../foundation/sql-template.ts';
import { cityDisplaySql, cityKeySql } from './place-names.ts';
import { buildSegmentMembers } from './segments.ts';
import { campaignMarts } from './campaign-marts.ts';
import { CUSTOMER_TABLES, customerScope, recordCustomerInputs } from './customer-scope.ts';
import { markWritten } from '../mart-state.ts';

/** What building a mart needs. `asOf` fixes "now" for recency, lifecycle and complaint windows. */
export interface MartEnv {
  readonly wh: Warehouse;
  readonly runId: string;
  readonly asOf: Date;
  readonly complaintDays: number;
  readonly segments: readonly SegmentRule[];
  /** `campaigns:` of the config (defaults when not given) */
  readonly campaigns?: CampaignSettings;
  /** rebuild everything (`cdw run --full-refresh`), not only what changed */
  readonly fullRefresh: boolean;
  /** a debug line (counts only) */
  readonly log: (message: string) => void;
}

/** What a mart that decides its own scope built: rows of its main table, rows/customers recomputed. */
export interface MartBuilt {
  readonly rows: number;
  readonly touched: number;
  readonly note?: string;
  /** what `touched` counts (default `customers`) */
  readonly what?: string;
}

/**
 * One mart: a unit of the marts step (a row in meta.run_steps). `inputs` are the upstream
 * tables it reads (checked before it runs, so a missing one is named); `dependsOn` are marts
 * built before it. `build` returns the rows of its main table.
 *
 * How a night keeps it (`refresh`): `whole` (the default) rebuilds it when anything it reads
 * changed — the content of `reads` (default `inputs`), the marts it depends on, the settings,
 * the as-of when `usesAsOf` (default true) — and skips it otherwise (build-marts.ts);
 * `scoped` marts find the rows (customers, campaign recipients) whose inputs changed themselves,
 * keep their own fingerprint and say what they rebuilt in a `MartBuilt`; `run` marts hold a row
 * set per run and are built every run.
 */
export interface MartDefinition {
  readonly name: string;
  readonly table: string;
  readonly description: string;
  readonly inputs: readonly string[];
  readonly dependsOn: readonly string[];
  readonly reads?: readonly string[];
  readonly refresh?: 'whole' | 'scoped' | 'run';
  /**
   * Every marts table the build writes (default: `table`). Each is marked before a write
   * (mart-state.ts `markWritten`), so its report file is rewritten only after one; a `scoped`
   * mart marks them itself when it writes.
   */
  readonly writes?: readonly string[];
  readonly usesAsOf?: boolean;
  build(env: MartEnv): Promise<number | MartBuilt>;
}

const CORE = ['core.dim_customer', 'core.customer_xref', 'core.dim_household'];
const FACTS = [
  'core.fact_transactions',
  'core.fact_interactions',
  'core.fact_web_sessions',
  'core.fact_page_views',
];
const STAGING = [
  'staging.party_records',
  'staging.transactions',
  'staging.interactions',
  'staging.web_hits',
];

/** The golden record's city in one script: `city_key` to group by, `city_display` to show. */
const cityHoles = {
  sql: { city_key: cityKeySql('c.city'), city_display: cityDisplaySql('c.city') },
};

/** `mart_purchases` (purchases.sql) for the customers `scope` keeps (`true`: everyone). */
function purchasesSql(scope: string): string {
  return renderSql(reportSql('marts/purchases.sql'), { sql: { purchase_scope: scope } });
}

async function countRows(wh: Warehouse, table: string): Promise<number> {
  return Number(await wh.scalar(`SELECT count(*) FROM ${table}`));
}

/** The marts in build order. Adding one: its .sql beside this file and one entry here. */
export const MARTS: readonly MartDefinition[] = [
  // first: customer_360 and service_daily carry their campaign columns
  ...campaignMarts(),
  {
    name: 'customer_360',
    table: 'marts.customer_360',
    description:
      'per customer: systems that know them, products, revenue, web, contacts, complaints, household',
    inputs: [
      ...CORE,
      ...FACTS,
      'staging.party_records',
      'staging.web_hits',
      'marts.source_tables',
      'marts.campaign_contacts',
    ],
    dependsOn: ['campaign_results'],
    refresh: 'scoped',
    writes: CUSTOMER_TABLES.map((t) => `marts.${t}`),
    async build({ wh, asOf, complaintDays, fullRefresh, log }) {
      const at = asOf.toISOString();
      const scope = await customerScope(wh, asOf, complaintDays, fullRefresh);
      // the whole table anew, or the scoped customers' rows replaced (customer-scope.ts)
      const sql = (file: string, table: string, holes: Record<string, string> = {}) =>
        renderSql(reportSql(file), {
          sql: {
            write: scope.whole
              ? `CREATE OR REPLACE TABLE marts.${table} AS`
              : `INSERT INTO marts.${table}`,
            ...holes,
          },
        });
      if (scope.whole || scope.customers > 0)
        await markWritten(
          wh,
          CUSTOMER_TABLES.map((t) => `marts.${t}`),
        );
      await wh.transaction(async () => {
        if (!scope.whole)
          for (const t of CUSTOMER_TABLES)
            await wh.run(`DELETE FROM marts.${t} WHERE customer_id IN (FROM mart_scope)`);
        if (scope.whole || scope.customers > 0) {
          await wh.run(sql('marts/customer-systems.sql', 'customer_systems'));
          await wh.run(sql('marts/customer-products.sql', 'customer_products'));
          await wh.run(purchasesSql('t.customer_id IN (FROM mart_scope)'), [at]);
          await wh.run(sql('marts/customer-revenue.sql', 'customer_revenue'), [at]);
          await wh.run(
            sql('marts/customer-revenue-by-currency.sql', 'customer_revenue_by_currency'),
            [at],
          );
          await wh.run(sql('marts/customer-contacts.sql', 'customer_contacts'), [
            at,
            complaintDays,
          ]);
          await wh.run(sql('marts/customer-contact-channels.sql', 'customer_contact_channels'), [
            at,
          ]);
          await wh.run(sql('marts/customer-household-members.sql', 'customer_household_members'));
          await wh.run(sql('marts/customer-360.sql', 'customer_360', cityHoles.sql));
        }
        log(`marts.customer_360 rows of ${scope.customers} customers replaced`);
        await recordCustomerInputs(wh, scope);
      });
      return {
        rows: await countRows(wh, 'marts.customer_360'),
        touched: scope.customers,
        note: scope.why,
      };
    },
  },
  {
    name: 'customer_segments',
    table: 'marts.customer_segments',
    description:
      'RFM, lifetime value, profitability, channels, lifecycle stage, geography, household, value tier',
    inputs: CORE,
    reads: ['core.dim_customer', 'core.dim_household'],
    dependsOn: ['customer_360'],
    async build({ wh, asOf }) {
      await wh.run(renderSql(reportSql('marts/customer-segments.sql'), cityHoles), [
        asOf.toISOString(),
      ]);
      return countRows(wh, 'marts.customer_segments');
    },
  },
  {
    name: 'segment_members',
    table: 'marts.segment_members',
    description: 'members of the segments declared in reports.segments',
    inputs: [],
    dependsOn: ['customer_segments'],
    usesAsOf: false,
    writes: ['marts.segment_members', 'marts.segments'],
    build: ({ wh, segments }) => buildSegmentMembers(wh, segments),
  },
  {
    name: 'cross_sell',
    table: 'marts.cross_sell',
    description: 'households where one member holds a product and another does not',
    inputs: CORE,
    reads: ['core.dim_customer', 'core.dim_household'],
    dependsOn: ['customer_360'],
    usesAsOf: false,
    async build({ wh }) {
      await wh.run(reportSql('marts/cross-sell.sql'));
      return countRows(wh, 'marts.cross_sell');
    },
  },
  {
    name: 'service_daily',
    table: 'marts.service_daily',
    description:
      'contacts per day, channel and queue: abandonment, repeats, resolution time, complaints, surge',
    inputs: ['core.fact_interactions', 'marts.campaign_days'],
    dependsOn: ['campaign_service_load'],
    usesAsOf: false,
    async build({ wh, campaigns }) {
      await wh.run(reportSql('marts/service-daily.sql'), [
        (campaigns ?? DEFAULT_CAMPAIGN_SETTINGS).baselineWeeks,
      ]);
      return countRows(wh, 'marts.service_daily');
    },
  },
  {
    name: 'data_quality',
    table: 'marts.data_quality',
    description:
      'per source table and run: rows read/landed/rejected, completeness, duplicates, match and link rates',
    inputs: [
      ...STAGING,
      ...CORE,
      ...FACTS,
      'meta.run_steps',
      'meta.rejected_rows',
      'marts.source_tables',
    ],
    dependsOn: ['customer_360'],
    refresh: 'run',
    writes: [
      'marts.data_quality',
      'marts.data_quality_rejections',
      'marts.data_quality_fields',
      'marts.data_quality_systems',
    ],
    async build({ wh, runId }) {
      await wh.transaction(async () => {
        for (const t of [
          'data_quality',
          'data_quality_rejections',
          'data_quality_fields',
          'data_quality_systems',
        ]) {
          await wh.run(`DELETE FROM marts.${t} WHERE run_id = $1`, [runId]);
        }
        await wh.run(reportSql('marts/data-quality/fields.sql'), [runId]);
        await wh.run(reportSql('marts/data-quality/rejections.sql'), [runId]);
        await wh.run(reportSql('marts/data-quality/systems.sql'), [runId]);
        await wh.run(reportSql('marts/data-quality/tables.sql'), [runId]);
      });
      return Number(
        await wh.scalar('SELECT count(*) FROM marts.data_quality WHERE run_id = $1', [runId]),
      );
    },
  },
  {
    name: 'nightly_trend',
    table: 'marts.nightly_trend',
    description:
      'one row per run and business date: customers, new, merged, households, rows landed and rejected; revenue per currency',
    inputs: ['core.dim_customer', 'core.dim_household'],
    dependsOn: ['customer_360', 'data_quality'],
    refresh: 'run',
    writes: ['marts.nightly_trend', 'marts.nightly_revenue'],
    async build({ wh, runId, asOf }) {
      const at = asOf.toISOString();
      const fresh = (await wh.tableExists('core', 'dim_customer_history'))
        ? Number(
            await wh.scalar(
              'SELECT count(*) FROM (SELECT customer_id FROM core.dim_customer_history GROUP BY customer_id HAVING arg_min(run_id, valid_from) = $1)',
              [runId],
            ),
          )
        : null;
      const merged = (await wh.tableExists('identity', 'id_history'))
        ? Number(
            await wh.scalar(
              "SELECT count(*) FROM identity.id_history WHERE run_id = $1 AND event = 'merge'",
              [runId],
            ),
          )
        : null;
      await wh.run(reportSql('marts/nightly-tables.sql'));
      await wh.run(purchasesSql('true'), [at]);
      await wh.transaction(async () => {
        await wh.run(reportSql('marts/nightly-trend.sql'), [runId, at, fresh, merged]);
        await wh.run('DELETE FROM marts.nightly_revenue WHERE run_id = $1', [runId]);
        await wh.run(reportSql('marts/nightly-revenue.sql'), [runId, at]);
      });
      return Number(await wh.scalar('SELECT count(*) FROM marts.nightly_trend'));
    },
  },
];
