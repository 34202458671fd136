import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/** Values bound by name (`$tz`, `$source`) to a statement built from a template. */
export type NamedParams = Readonly<Record<string, DuckDBValue>>;

const PARAM = /\$([a-z_][a-z0-9_]*)/gi;

/**
 * Runs one statement with named parameters. DuckDB refuses values the statement does not
 * use, and a template's generated parts decide which are used, so only those are bound.
 */
export async function runNamed(conn: DuckDBConnection, sql: string, params: NamedParams): Promise<void> {
  await conn.run(sql, usedParams(sql, params));
}

function usedParams(sql: string, params: NamedParams): Record<string, DuckDBValue> | undefined {
  const used = new Set([...sql.matchAll(PARAM)].map((m) => m[1]!));
  const bound: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) if (used.has(k)) bound[k] = v;
  return Object.keys(bound).length === 0 ? undefined : bound;
}

/** Runs one query with named parameters and returns its rows as plain objects (BIGINTs as numbers when safe). */
export async function allNamed<T extends Record<string, unknown>>(conn: DuckDBConnection, sql: string, params: NamedParams): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, usedParams(sql, params));
  return reader.getRowObjectsJS().map((row) => {
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) row[k] = Number(v);
    }
    return row as T;
  });
}
