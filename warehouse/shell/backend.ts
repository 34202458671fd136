import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { ResultSet } from './output-format.ts';

/**
 * Where the shell's statements run: the warehouse file itself, or the `cdw serve` that owns it
 * (jobs/serve/remote-warehouse.ts). `signal` cancels a running statement (Ctrl-C).
 */
export interface ShellBackend {
  query(
    sql: string,
    params?: readonly string[],
    signal?: AbortSignal,
  ): Promise<ResultSet | undefined>;
}

/**
 * DuckDB's own rendering of a value (DATE as 2024-01-02, DECIMAL with its scale, lists and
 * structs as DuckDB prints them); numbers, strings and booleans as they are.
 */
export function displayText(v: DuckDBValue): string | null {
  if (v === null) return null;
  if (typeof v === 'object') return v.toString();
  return String(v);
}

/** The shell on a DuckDB connection; a cancelled statement is interrupted in DuckDB. */
export function duckdbBackend(conn: DuckDBConnection): ShellBackend {
  return {
    async query(sql, params, signal) {
      const stop = () => conn.interrupt();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        const reader = await conn.runAndReadAll(
          sql,
          params !== undefined && params.length > 0 ? [...params] : undefined,
        );
        if (reader.columnCount === 0) return undefined;
        return {
          columns: reader.columnNames(),
          types: reader.columnTypes().map((t) => t.toString()),
          rows: reader.getRowsJS(),
          text: reader.getRows().map((r) => r.map(displayText)),
        };
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
  };
}
