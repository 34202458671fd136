import { stringify } from 'yaml';
import { findPreset } from '../jobs/config/presets/index.ts';
import type { NoiseModel } from './noise.ts';
import { SIGNUPS_SOURCE, SIGNUPS_TABLE } from './systems/web-signups.ts';

export const CONFIG_FILE = 'cdw.yaml';
export const DEFAULT_PG_SCHEMA = 'cdw_demo';
export const DEFAULT_MYSQL_PREFIX = 'demo_';

/** Environment variables the config reads a database URL from when the URL holds a password. */
export const PG_URL_VAR = 'CDW_DEMO_PG_URL';
export const MYSQL_URL_VAR = 'CDW_DEMO_MYSQL_URL';

/** A password never goes into cdw.yaml: such a URL is read from the environment instead. */
export function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

const urlSetting = (url: string, variable: string) => (hasPassword(url) ? `\${${variable}}` : url);

export interface DemoConfigOptions {
  readonly seed: number;
  readonly customers: number;
  /** `harsh` adds the web shop's sign-up export as one more source. */
  readonly noise?: NoiseModel;
  readonly pg?: string;
  readonly mysql?: string;
  readonly pgSchema?: string;
  readonly mysqlPrefix?: string;
  /** `presets` (short: each source names its preset) or `full` (every table written out). */
  readonly style?: 'presets' | 'full';
}

interface SourceEntry {
  readonly name: string;
  readonly kind: string;
  /** The system the source belongs to; also the preset it names, unless `tables` are its own. */
  readonly preset: string;
  /** A source without a preset: its tables written out (the harsh demo's sign-up export). */
  readonly ownTables?: Record<string, unknown>[];
  readonly timezone: string;
  readonly default_country: string;
  readonly connection: Record<string, unknown>;
  /** Entries laid over the preset's tables (table names in a non-default schema). */
  readonly tables?: Record<string, unknown>[];
  readonly comment: string;
}

function sources(o: DemoConfigOptions): SourceEntry[] {
  const pgSchema = o.pgSchema ?? DEFAULT_PG_SCHEMA;
  const prefix = o.mysqlPrefix ?? DEFAULT_MYSQL_PREFIX;
  const billingTables = pgSchema === DEFAULT_PG_SCHEMA ? undefined : ['accounts', 'invoices', 'payments'].map((t) => ({ name: t, table: `${pgSchema}.${t}` }));
  const erpTables = prefix === DEFAULT_MYSQL_PREFIX ? undefined : ['customers', 'sales_orders'].map((t) => ({ name: t, table: `${prefix}erp_${t}` }));
  return [
    o.pg === undefined
      ? { name: 'billing', kind: 'csv', preset: 'billing', timezone: 'UTC', default_country: 'US', connection: { dir: 'billing' }, comment: 'billing: nightly CSV extracts of accounts, invoices, payments' }
      : { name: 'billing', kind: 'postgres', preset: 'billing', timezone: 'UTC', default_country: 'US', connection: { url: urlSetting(o.pg, PG_URL_VAR) }, tables: billingTables, comment: `billing: PostgreSQL schema ${pgSchema}` },
    o.mysql === undefined
      ? { name: 'erp', kind: 'csv', preset: 'erp', timezone: 'America/New_York', default_country: 'US', connection: { dir: 'erp' }, comment: 'ERP: nightly CSV extracts of customers and sales orders' }
      : { name: 'erp', kind: 'mysql', preset: 'erp', timezone: 'America/New_York', default_country: 'US', connection: { url: urlSetting(o.mysql, MYSQL_URL_VAR) }, tables: erpTables, comment: `ERP: MySQL tables ${prefix}erp_*` },
    { name: 'pos', kind: 'csv', preset: 'pos', timezone: 'Europe/Moscow', default_country: 'RU', connection: { dir: 'pos' }, comment: 'POS: loyalty cards and till receipts of two store chains' },
    { name: 'web', kind: 'weblog', preset: 'web', timezone: 'UTC', default_country: 'US', connection: { dir: 'web' }, comment: 'web site access log (rotated once to access.log.1)' },
    { name: 'contact_center', kind: 'csv', preset: 'contact_center', timezone: 'America/New_York', default_country: 'US', connection: { dir: 'contact_center' }, comment: 'contact centre: call records' },
    { name: 'helpdesk', kind: 'jsonl', preset: 'contact_center', timezone: 'UTC', default_country: 'US', connection: { dir: 'contact_center' }, comment: 'contact centre: help-desk tickets (e-mail, chat)' },
    ...(o.noise === 'harsh' ? [signupsSource()] : []),
    { name: 'marketing', kind: 'csv', preset: 'marketing', timezone: 'UTC', default_country: 'US', connection: { dir: 'marketing' }, comment: 'marketing: campaigns, their sends (variant, region, holdout) and the orders of the landing shop' },
  ];
}

/** The web shop's sign-up forms (harsh noise only): no preset describes them, so the table is written out. */
function signupsSource(): SourceEntry {
  return {
    name: SIGNUPS_SOURCE, kind: 'csv', preset: 'web', timezone: 'UTC', default_country: 'US', connection: { dir: 'web' },
    comment: 'web shop sign-ups (newsletter, callback, account forms): an e-mail and/or a phone, no name',
    ownTables: [{
      name: SIGNUPS_TABLE, entity: 'party', path: 'signups_*.csv', primary_key: 'signup_id',
      mapping: { record_key: 'signup_id', email: 'email', phone: 'phone', country: 'site', consent_email: 'newsletter', created_at: 'created_at' },
    }],
  };
}

function sourceObject(s: SourceEntry, style: 'presets' | 'full'): Record<string, unknown> {
  const base: Record<string, unknown> = { name: s.name, system: s.preset, kind: s.kind };
  if (style === 'presets' && s.ownTables === undefined) {
    base.preset = s.preset;
  }
  Object.assign(base, { timezone: s.timezone, default_country: s.default_country, connection: s.connection });
  if (s.ownTables !== undefined) {
    base.tables = s.ownTables;
  } else if (style === 'full') {
    const preset = findPreset(s.preset)!;
    base.tables = (preset.tables[s.kind] ?? []).map((t) => ({ ...t, ...s.tables?.find((o) => o.name === t.name) }));
  } else if (s.tables !== undefined) {
    base.tables = s.tables;
  }
  return base;
}

/** The `cdw.yaml` of a demo company: every source with its preset, time zone and country. */
export function demoConfigText(o: DemoConfigOptions): string {
  const style = o.style ?? 'presets';
  const head = [
    `# cdw demo company: ${o.customers} customers, seed ${o.seed}${o.noise === 'harsh' ? ', harsh noise' : ''}. Generated by \`cdw demo\`; regenerate rather than edit.`,
    style === 'presets'
      ? '# Each source names a preset (jobs/config/presets/): its tables, mappings, keys and cursors. List a table under'
      : '# Every table is written out in full (the same as the presets in jobs/config/presets/).',
    style === 'presets' ? '# `tables:` with the same name to override it key by key.' : '',
    'version: 1',
    'warehouse:',
    '  path: warehouse.duckdb',
    'sources:',
  ].filter((l) => l !== '');
  const body = sources(o).flatMap((s) => {
    const yaml = stringify([sourceObject(s, style)], { lineWidth: 0 }).trimEnd().split('\n');
    return [`  # ${s.comment}`, ...yaml.map((l) => `  ${l}`)];
  });
  const tail = [
    'profiles:',
    '  source_priority: [billing, erp, pos]',
    '# Segments: SQL conditions over marts.customer_segments. Try: cdw report campaign --segment high_value',
    'reports:',
    '  segments:',
    "    - { name: high_value, description: 'top and high value tier', where: \"value_tier IN ('top', 'high')\" }",
    "    - { name: win_back, description: 'bought before, nothing for 6–12 months', where: \"lifecycle_stage = 'at_risk'\" }",
    "    - { name: new_buyers, description: 'first purchase in the last 90 days', where: \"lifecycle_stage = 'new'\" }",
    '',
  ];
  return [...head, ...body, ...tail].join('\n');
}
