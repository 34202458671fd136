import type { ResolvedSource } from '../../../foundation/config-types.ts';
import type { Warehouse } from '../../../foundation/duckdb-client.ts';

/** A source table as the config declares it: which system it belongs to and what it maps. */
export interface SourceTableInfo {
  readonly source: string;
  readonly system: string;
  readonly sourceTable: string;
  readonly entity: string;
  /** canonical fields the table's mapping fills */
  readonly mappedFields: readonly string[];
}

export function sourceTablesFromConfig(sources: readonly ResolvedSource[]): SourceTableInfo[] {
  return sources.flatMap((s) =>
    s.tables.map((t) => ({
      source: s.name,
      system: s.system,
      sourceTable: t.name,
      entity: t.entity,
      mappedFields: Object.keys(t.mapping),
    })),
  );
}

/**
 * Writes `marts.source_tables(source, system, source_table, entity, mapped_fields)`: the
 * department behind each source (for customer_systems) and the mapped fields (for completeness).
 */
export async function writeSourceTables(
  wh: Warehouse,
  tables: readonly SourceTableInfo[],
): Promise<void> {
  await wh.run(
    'CREATE OR REPLACE TABLE marts.source_tables (source VARCHAR NOT NULL, system VARCHAR NOT NULL, source_table VARCHAR NOT NULL, entity VARCHAR NOT NULL, mapped_fields VARCHAR[] NOT NULL)',
  );
  // lists go in as JSON: an empty list has no element type to bind
  for (const t of tables) {
    await wh.run(
      'INSERT INTO marts.source_tables VALUES ($1, $2, $3, $4, CAST($5::JSON AS VARCHAR[]))',
      [t.source, t.system, t.sourceTable, t.entity, JSON.stringify(t.mappedFields)],
    );
  }
}
