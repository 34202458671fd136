import type { EntityName } from '../../foundation/entities.ts';
import type { CdwConfig, ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { runNamed, textList } from '../../foundation/run-sql.ts';
import { TransformError } from '../transform-error.ts';
import { safeDetail } from '../safe-detail.ts';
import { partyStdVersion, recordPartyStd } from './party-std-cache.ts';
import { fillPartyStd } from './party-std-fill.ts';
import type { StepStdPool } from './party-std-pool.ts';
import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import { ATTRIBUTE_PREFIX } from './typed-table.ts';

/** The model that turns one entity's typed rows into its staging contract columns. */
const ENTITY_MODEL: Readonly<Record<EntityName, string>> = {
  party: 'party.sql',
  transaction: 'transaction.sql',
  interaction: 'interaction.sql',
  web_hit: 'web-hit.sql',
  campaign: 'campaign.sql',
  campaign_contact: 'campaign-contact.sql',
};

/** `source.table` of the source's only enabled party table; undefined when it has none or several. */
export function defaultPartyTable(source: ResolvedSource): string | undefined {
  const parties = source.tables.filter((t) => t.enabled && t.entity === 'party');
  return parties.length === 1 ? `${source.name}.${parties[0]!.name}` : undefined;
}

/** `source.table` of the source's only enabled campaign table; undefined when it has none or several. */
function defaultCampaignTable(source: ResolvedSource): string | undefined {
  const campaigns = source.tables.filter((t) => t.enabled && t.entity === 'campaign');
  return campaigns.length === 1 ? `${source.name}.${campaigns[0]!.name}` : undefined;
}

/**
 * Standardises one table's typed rows that were not rejected and appends them, by column
 * name, to `staging.<target>` (the entity's table being built). Returns the rows appended.
 */
export async function appendStdRows(
  wh: Warehouse,
  config: CdwConfig,
  source: ResolvedSource,
  table: ResolvedTable,
  typedTable: string,
  target: string,
  stdPool?: StepStdPool,
): Promise<number> {
  const params = {
    source: source.name,
    source_table: table.name,
    system: source.system,
    default_country: source.defaultCountry,
    default_party_table: defaultPartyTable(source) ?? null,
    default_campaign_table: defaultCampaignTable(source) ?? null,
    bot_patterns: textList(config.transforms.botUserAgents),
  };
  try {
    if (table.entity !== 'party') {
      const sql = sqlFromFile(import.meta.url, ENTITY_MODEL[table.entity], {
        ident: { target: ['staging', target], typed_table: ['staging', typedTable] },
      });
      return await runNamed(wh.conn, sql, params);
    }
    // Parties: standardised parts first (new inputs into the cache, by worker threads; then
    // every row's parts from it), then the rows.
    await fillPartyStd(wh, typedTable, params, stdPool);
    const std = `${typedTable}__std`;
    await runNamed(
      wh.conn,
      sqlFromFile(import.meta.url, 'party-std.sql', {
        ident: { std_table: std, typed_table: ['staging', typedTable] },
      }),
      { ...params, std_version: partyStdVersion() },
    );
    try {
      await recordPartyStd(wh, std);
      return await runNamed(
        wh.conn,
        sqlFromFile(import.meta.url, 'party.sql', {
          ident: { target: ['staging', target], std_table: std },
          sql: { attributes: attributesSql(table) },
        }),
        params,
      );
    } finally {
      await wh.run(`DROP TABLE IF EXISTS temp.${quoteIdent(std)}`);
    }
  } catch (err) {
    throw new TransformError(
      'transform_error',
      `transform ${source.name}.${table.name}: standardising ${table.entity} rows failed: ${safeDetail(err)}`,
      { cause: err },
    );
  }
}

/**
 * The `attributes` map of a party row: each `attributes.<name>` of the mapping that has a value
 * (NULL when the table maps none).
 */
function attributesSql(table: ResolvedTable): string {
  const names = Object.keys(table.mapping)
    .filter((k) => k.startsWith(ATTRIBUTE_PREFIX))
    .map((k) => k.slice(ATTRIBUTE_PREFIX.length));
  if (names.length === 0) return 'NULL::MAP(VARCHAR, VARCHAR)';
  const entries = names.map(
    (n) => `{'key': ${quoteLiteral(n)}, 'value': ${quoteIdent(ATTRIBUTE_PREFIX + n)}}`,
  );
  return `map_from_entries(list_filter([${entries.join(', ')}], e -> e.value IS NOT NULL))`;
}
