import type { Warehouse } from '../../foundation/duckdb-client.ts';

/** Columns the connectors add to every raw table (connectors/CONTEXT.md). */
export const LOAD_COLUMNS = ['_load_id', '_loaded_at', '_row_hash'] as const;

/** What a landed raw table looks like: its columns with DuckDB types, and how tombstones are marked. */
export interface RawLayout {
  /** lower-cased column name → { name as landed, DuckDB type } */
  readonly columns: ReadonlyMap<string, { readonly name: string; readonly type: string }>;
  /** SQL boolean over a raw row: true for a tombstone (a key noticed as deleted in the source). */
  readonly tombstoneSql: string;
}

/** Reads `raw.<table>`'s columns (or another schema's table); undefined when nothing has landed yet. */
export async function readRawLayout(
  wh: Warehouse,
  rawTable: string,
  schema = 'raw',
): Promise<RawLayout | undefined> {
  const rows = await wh.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = $2 AND table_name = $1 ORDER BY ordinal_position`,
    [rawTable, schema],
  );
  if (rows.length === 0) return undefined;
  const columns = new Map(
    rows.map((r) => [r.column_name.toLowerCase(), { name: r.column_name, type: r.data_type }]),
  );
  return { columns, tombstoneSql: tombstoneSql(columns) };
}

function tombstoneSql(columns: ReadonlyMap<string, unknown>): string {
  if (columns.has('_deleted')) return 'coalesce("_deleted", false)';
  if (columns.has('_deleted_at')) return '("_deleted_at" IS NOT NULL)';
  return 'false';
}
