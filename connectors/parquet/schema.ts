import { DuckDBInstance } from '@duckdb/node-api';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { ColumnSpec } from '../types.ts';

/**
 * The columns of Parquet files with their types, read from each file's footer by DuckDB's
 * built-in reader in a private in-memory instance (nothing of the warehouse is touched).
 * Throws DuckDB's error for a file that is not Parquet.
 */
export async function parquetSchemas(files: readonly string[]): Promise<ColumnSpec[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const out: ColumnSpec[][] = [];
    for (const f of files) {
      const rows = await readRows<{ column_name: string; column_type: string }>(
        conn,
        'DESCRIBE SELECT * FROM read_parquet($1)',
        [f],
      );
      out.push(rows.map((r) => ({ name: r.column_name, type: r.column_type })));
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
