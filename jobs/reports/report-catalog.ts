import path from 'node:path';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';
import { copyToFile, type ReportFormat } from './files/export.ts';
import { JobError } from '../errors.ts';

/** A report that is a mart table written to a file: `cdw report <name>` and the nightly reports step. */
export interface ReportDefinition {
  readonly name: string;
  readonly description: string;
  /** the mart it reads, `marts.<table>` */
  readonly table: string;
  readonly orderBy: string;
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

/** Writes one report as `<dir>/<name>.<format>`; returns the file and its rows. */
export async function exportReport(
  wh: Warehouse,
  def: ReportDefinition,
  dir: string,
  format: ReportFormat,
): Promise<{ file: string; rows: number }> {
  if (!(await wh.tableExists('marts', def.table))) {
    throw new JobError(
      'report_not_built',
      `report ${def.name}: marts.${def.table} does not exist yet; the marts step of "cdw run" builds it`,
    );
  }
  const file = path.join(dir, `${def.name}.${format}`);
  const rows = await copyToFile(
    wh,
    `SELECT * FROM ${qualified('marts', def.table)} ORDER BY ${def.orderBy}`,
    file,
    format,
  );
  return { file, rows };
}
