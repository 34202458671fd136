import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import type { RawLayout } from './raw-layout.ts';

/**
 * Writes one table's rejections to `meta.rejected_rows`: rejected rows (stage `staging`) and
 * values set to NULL in kept rows (stage `staging_value`). Located by record key; a row
 * without one by `file:line` when the connector landed those.
 */
export async function recordRejections(
  wh: Warehouse,
  runId: string,
  source: ResolvedSource,
  table: ResolvedTable,
  layout: RawLayout,
  typedTable: string,
  rowsFrom: readonly [string, string] = ['raw', table.rawTable],
): Promise<void> {
  const fileLine = layout.columns.has('_file') && layout.columns.has('_line');
  const holes = {
    ident: {
      typed_table: ['staging', typedTable] as const,
      raw_table: rowsFrom,
    },
    sql: {
      location_sql: fileLine
        ? `coalesce(t.record_key, r."_file" || ':' || CAST(r."_line" AS VARCHAR))`
        : 't.record_key',
    },
  };
  const params = { run_id: runId, source: source.name, source_table: table.name };
  await runNamed(wh.conn, sqlFromFile(import.meta.url, 'reject-rows.sql', holes), params);
  await runNamed(wh.conn, sqlFromFile(import.meta.url, 'reject-values.sql', holes), params);
}
