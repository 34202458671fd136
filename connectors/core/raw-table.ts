import type { DuckDBConnection } from '@duckdb/node-api';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { ColumnSpec } from './batch.ts';

/** Columns cdw adds to every raw table (see connectors/CONTEXT.md, "Raw layout"). */
export const META_COLUMNS: readonly ColumnSpec[] = [
  { name: '_load_id', type: 'VARCHAR' },
  { name: '_loaded_at', type: 'TIMESTAMPTZ' },
  { name: '_row_hash', type: 'VARCHAR' },
  { name: '_deleted', type: 'BOOLEAN' },
];

/** Where a row was found, for file kinds. Not part of the row hash: the same row in another file is the same row. */
export const LOCATION_COLUMNS: readonly ColumnSpec[] = [
  { name: '_file', type: 'VARCHAR' },
  { name: '_line', type: 'BIGINT' },
];

const RESERVED = new Set([...META_COLUMNS, ...LOCATION_COLUMNS].map((c) => c.name));

/** Whether a source column name collides with a column cdw adds. */
export function isReservedColumn(name: string): boolean {
  return RESERVED.has(name);
}

export function isLocationColumn(name: string): boolean {
  return LOCATION_COLUMNS.some((c) => c.name === name);
}

/**
 * A raw table as it stands: created on first use with the columns of the first batch, then
 * widened (`ADD COLUMN`) when a later batch brings a column it has not seen. Columns are never
 * dropped or retyped: rows of earlier loads keep their shape.
 */
export class RawTable {
  private known: Map<string, string> | undefined;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly schema: string,
    readonly name: string,
  ) {}

  get sqlName(): string {
    return qualified(this.schema, this.name);
  }

  /** Whether the table exists and holds at least one row. */
  async hasRows(): Promise<boolean> {
    if (!(await this.exists())) return false;
    const rows = await readRows(this.conn, `SELECT 1 AS x FROM ${this.sqlName} LIMIT 1`);
    return rows.length > 0;
  }

  /** Names of the source columns (not cdw's meta or location columns), as the table has them. */
  async sourceColumns(): Promise<string[]> {
    const rows = await readRows<{ column_name: string }>(
      this.conn,
      'SELECT column_name FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 ORDER BY column_index',
      [this.schema, this.name],
    );
    return rows.map((r) => r.column_name).filter((c) => !isReservedColumn(c));
  }

  async exists(): Promise<boolean> {
    return (await this.columns()).size > 0;
  }

  /** Makes sure every column of `columns` exists; creates the table with the meta columns when missing. */
  async ensure(columns: readonly ColumnSpec[]): Promise<void> {
    const known = await this.columns();
    if (known.size === 0) {
      const defs = [...columns, ...META_COLUMNS].map(
        (c) =>
          `${quoteIdent(c.name)} ${c.type}${c.name === '_deleted' ? ' NOT NULL DEFAULT false' : ''}`,
      );
      await this.conn.run(`CREATE TABLE ${this.sqlName} (${defs.join(', ')})`);
      this.known = new Map(
        [...columns, ...META_COLUMNS].map((c) => [c.name.toLowerCase(), c.type]),
      );
      return;
    }
    for (const c of columns) {
      // DuckDB column names ignore case.
      if (known.has(c.name.toLowerCase())) continue;
      await this.conn.run(`ALTER TABLE ${this.sqlName} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
      known.set(c.name.toLowerCase(), c.type);
    }
  }

  private async columns(): Promise<Map<string, string>> {
    if (this.known !== undefined && this.known.size > 0) return this.known;
    const rows = await readRows<{ column_name: string; data_type: string }>(
      this.conn,
      'SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 ORDER BY column_index',
      [this.schema, this.name],
    );
    this.known = new Map(rows.map((r) => [r.column_name.toLowerCase(), r.data_type]));
    return this.known;
  }
}
