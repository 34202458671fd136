import path from 'node:path';
import type { Queryable } from '../../foundation/duckdb-client.ts';
import { qualified, quoteLiteral } from '../../foundation/sql.ts';
import { didYouMean } from '../../foundation/did-you-mean.ts';
import { copyToFile, type ReportFormat } from './files/export.ts';
import { JobError } from '../errors.ts';

/** A report that is a mart table written to a file: `cdw report <name>` and the nightly reports step. */
export interface ReportDefinition {
  readonly name: string;
  readonly description: string;
  /** the mart it reads, `marts.<table>` */
  readonly table: string;
  readonly orderBy: string;
  /** reports of campaigns take `--campaign C` (its key, `source.table:key` or name) */
  readonly byCampaign?: boolean;
}

/** Every file report, in the order the reports step writes them. */
export const REPORTS: readonly ReportDefinition[] = [
  {
    name: 'customer_360',
    table: 'customer_360',
    orderBy: 'customer_id',
    description:
      'one row per customer: systems, products, revenue, web, contacts, complaints, household',
  },
  {
    name: 'customer_systems',
    table: 'customer_systems',
    orderBy: 'customer_id, source',
    description: 'which system knows which customer, since when',
  },
  {
    name: 'customer_products',
    table: 'customer_products',
    orderBy: 'customer_id, product',
    description: 'products and services each customer holds',
  },
  {
    name: 'customer_segments',
    table: 'customer_segments',
    orderBy: 'customer_id',
    description: 'RFM, lifetime value, profitability, lifecycle stage, value tier',
  },
  {
    name: 'segment_members',
    table: 'segment_members',
    orderBy: 'segment, customer_id',
    description: 'members of each configured segment',
  },
  {
    name: 'segments',
    table: 'segments',
    orderBy: 'segment',
    description: 'the configured segments and their sizes',
  },
  {
    name: 'cross_sell',
    table: 'cross_sell',
    orderBy: 'household_id, product, customer_id',
    description: 'household members who lack a product another member holds',
  },
  {
    name: 'service_daily',
    table: 'service_daily',
    orderBy: 'day, channel, queue',
    description: 'contact-centre metrics per day, channel and queue',
  },
  {
    name: 'campaign_results',
    table: 'campaign_results',
    orderBy:
      "campaign_uid, CASE level WHEN 'campaign' THEN 0 WHEN 'variant' THEN 1 WHEN 'region' THEN 2 ELSE 3 END, variant NULLS FIRST, region NULLS FIRST",
    description:
      'per campaign, variant and region: sent, responded, response rate and interval, lift over the control group, revenue, cost per response',
    byCampaign: true,
  },
  {
    name: 'campaign_contacts',
    table: 'campaign_contacts',
    orderBy: 'campaign_uid, customer_id NULLS LAST, contact_uid',
    description: 'per campaign and recipient: what was sent and whether they responded',
    byCampaign: true,
  },
  {
    name: 'campaign_service_load',
    table: 'campaign_service_load',
    orderBy: 'campaign_uid, day',
    description: "the contact centre's daily load after each campaign beside comparable days",
    byCampaign: true,
  },
  {
    name: 'data_quality',
    table: 'data_quality',
    orderBy: 'computed_at, source, source_table',
    description:
      'per run and source table: rows read, landed, rejected; duplicates; match and link rates',
  },
  {
    name: 'data_quality_rejections',
    table: 'data_quality_rejections',
    orderBy: 'run_id, source, source_table, stage, reason',
    description: 'rejected rows per run, source table and reason',
  },
  {
    name: 'data_quality_fields',
    table: 'data_quality_fields',
    orderBy: 'run_id, source, source_table, field',
    description: 'field completeness per run and source table',
  },
  {
    name: 'data_quality_systems',
    table: 'data_quality_systems',
    orderBy: 'run_id, systems',
    description: 'customers by number of systems that know them, per run',
  },
];

/**
 * Writes one report as `<dir>/<name>.<format>` (`<name>_<campaign>.<format>` for one campaign);
 * returns the file and its rows. A campaign the mart does not know is refused with the ones it does.
 */
export async function exportReport(
  wh: Queryable,
  def: ReportDefinition,
  dir: string,
  format: ReportFormat,
  opts: { campaign?: string } = {},
): Promise<{ file: string; rows: number }> {
  if (!(await wh.tableExists('marts', def.table))) {
    throw new JobError(
      'report_not_built',
      `report ${def.name}: marts.${def.table} does not exist yet; the marts step of "cdw run" builds it`,
    );
  }
  const table = qualified('marts', def.table);
  let where = '';
  let suffix = '';
  if (opts.campaign !== undefined) {
    const uid = await campaignUid(wh, opts.campaign);
    where = ` WHERE campaign_uid = ${quoteLiteral(uid)}`;
    suffix = `_${uid.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
  }
  const file = path.join(dir, `${def.name}${suffix}.${format}`);
  const rows = await copyToFile(
    wh,
    `SELECT * FROM ${table}${where} ORDER BY ${def.orderBy}`,
    file,
    format,
  );
  return { file, rows };
}

/** The campaign a `--campaign` names: its `source.table:key`, its key or its name (one campaign). */
async function campaignUid(wh: Queryable, given: string): Promise<string> {
  const known = (await wh.tableExists('marts', 'campaign_results'))
    ? await wh.all<{ campaign_uid: string; campaign_name: string | null }>(
        'SELECT DISTINCT campaign_uid, campaign_name FROM marts.campaign_results ORDER BY 1',
      )
    : [];
  const hits = known.filter(
    (c) =>
      c.campaign_uid === given ||
      c.campaign_uid.slice(c.campaign_uid.lastIndexOf(':') + 1) === given ||
      c.campaign_name === given,
  );
  if (hits.length === 1) return hits[0]!.campaign_uid;
  const names = known.map((c) => c.campaign_uid);
  throw new JobError(
    'campaign_unknown',
    hits.length > 1
      ? `--campaign ${given} names ${hits.length} campaigns (${hits.map((h) => h.campaign_uid).join(', ')}); give one as source.table:key`
      : `no campaign ${given} in marts.campaign_results${didYouMean(given, names)}${names.length > 0 ? ` (campaigns: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''})` : ' (no campaigns yet)'}`,
  );
}
