import type { EntityName } from '../../foundation/entities.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';

/** The staging table each entity lands in. */
export const ENTITY_TABLE: Readonly<Record<EntityName, string>> = {
  party: 'party_records',
  transaction: 'transactions',
  interaction: 'interactions',
  web_hit: 'web_hits',
  campaign: 'campaigns',
  campaign_contact: 'campaign_contacts',
};

/** What a check looks at: a staging table, optionally only the rows of one source table. */
export interface CheckTarget {
  /** Table in the `staging` schema. */
  readonly table: string;
  readonly source?: string;
  readonly sourceTable?: string;
  /** How results name it: `staging.party_records` or `billing.customers`. */
  readonly label: string;
}

/**
 * Reads a check's `table:` — a configured source table (`billing.customers`, checked in its
 * entity's staging table) or a staging table (`party_records` or `staging.party_records`).
 * `source:` narrows a staging table to one source. Undefined when it names neither.
 */
export function resolveCheckTarget(
  config: CdwConfig,
  table: string,
  source: string | undefined,
): CheckTarget | undefined {
  const [a, b] = table.split('.', 2) as [string, string | undefined];
  if (b !== undefined) {
    const t = config.sources.find((s) => s.name === a)?.tables.find((x) => x.name === b);
    if (t !== undefined)
      return { table: ENTITY_TABLE[t.entity], source: a, sourceTable: b, label: table };
  }
  const name = b !== undefined && a === 'staging' ? b : b === undefined ? a : undefined;
  if (name === undefined || !STAGING_TABLES.has(name)) return undefined;
  return {
    table: name,
    source,
    label: source === undefined ? `staging.${name}` : `staging.${name} (${source})`,
  };
}

export const STAGING_TABLES: ReadonlySet<string> = new Set([
  ...Object.values(ENTITY_TABLE),
  'web_sessions',
  'cookie_links',
]);
