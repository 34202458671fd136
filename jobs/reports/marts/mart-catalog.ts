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

/** What building a mart needs. `asOf` fixes "now" for recency, lifecycle and complaint windows. */
export interface MartEnv {
  readonly wh: Warehouse;
  readonly runId: string;
  readonly asOf: Date;
  readonly complaintDays: number;
  readonly segments: readonly SegmentRule[];
  /** `campaigns:` of the config (defaults when not given) */
  readonly campaigns?: CampaignSettings;
}

/**
 * One mart: a unit of the marts step (a row in meta.run_steps). `inputs` are the upstream
 * tables it reads (checked before it runs, so a missing one is named); `dependsOn` are marts
 * built before it. `build` returns the rows of its main table.
 */
export interface MartDefinition {
  readonly name: string;
  readonly table: string;
  readonly description: string;
  readonly inputs: readonly string[];
  readonly dependsOn: readonly string[];
  build(env: MartEnv): Promise<number>;
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
    async build({ wh, asOf, complaintDays }) {
      const at = asOf.toISOString();
      await wh.transaction(async () => {
        await wh.run(reportSql('marts/customer-systems.sql'));
        await wh.run(reportSql('marts/customer-products.sql'));
        await wh.run(reportSql('marts/purchases.sql'), [at]);
        await wh.run(reportSql('marts/customer-revenue.sql'), [at]);
        await wh.run(reportSql('marts/customer-revenue-by-currency.sql'), [at]);
        await wh.run(reportSql('marts/customer-contacts.sql'), [at, complaintDays]);
        await wh.run(reportSql('marts/customer-contact-channels.sql'), [at]);
        await wh.run(reportSql('marts/customer-household-members.sql'));
        await wh.run(renderSql(reportSql('marts/customer-360.sql'), cityHoles));
      });
      return countRows(wh, 'marts.customer_360');
    },
  },
  {
    name: 'customer_segments',
    table: 'marts.customer_segments',
    description:
      'RFM, lifetime value, profitability, channels, lifecycle stage, geography, household, value tier',
    inputs: CORE,
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
    build: ({ wh, segments }) => buildSegmentMembers(wh, segments),
  },
  {
    name: 'cross_sell',
    table: 'marts.cross_sell',
    description: 'households where one member holds a product and another does not',
    inputs: CORE,
    dependsOn: ['customer_360'],
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
      await wh.transaction(async () => {
        await wh.run(reportSql('marts/nightly-trend.sql'), [runId, at, fresh, merged]);
        await wh.run('DELETE FROM marts.nightly_revenue WHERE run_id = $1', [runId]);
        await wh.run(reportSql('marts/nightly-revenue.sql'), [runId, at]);
      });
      return Number(await wh.scalar('SELECT count(*) FROM marts.nightly_trend'));
    },
  },
];
