import {
  LIST,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/** Values bound by name (`$tz`, `$source`) to a statement built from a template. */
export type NamedParams = Readonly<Record<string, DuckDBValue | TypedParam>>;

/** A value with its DuckDB type, for values whose type DuckDB cannot infer (an empty list). */
export interface TypedParam {
  readonly value: DuckDBValue;
  readonly type: DuckDBType;
}

/** A VARCHAR[] parameter, typed even when empty. */
export function textList(items: readonly string[]): TypedParam {
  return { value: listValue([...items]), type: LIST(VARCHAR) };
}

function isTyped(v: DuckDBValue | TypedParam): v is TypedParam {
  return typeof v === 'object' && v !== null && 'type' in v && 'value' in v && !('items' in v);
}

const PARAM = /\$([a-z_][a-z0-9_]*)/gi;

/**
 * Runs one statement with named parameters; returns the rows it changed (inserted). DuckDB
 * refuses values the statement does not use, and a template's generated parts decide which
 * are used, so only those are bound.
 */
export async function runNamed(
  conn: DuckDBConnection,
  sql: string,
  params: NamedParams,
): Promise<number> {
  const b = bind(sql, params);
  const r = await conn.run(sql, b.values, b.types);
  return r.rowsChanged;
}

function bind(
  sql: string,
  params: NamedParams,
): { values?: Record<string, DuckDBValue>; types?: Record<string, DuckDBType> } {
  const used = new Set([...sql.matchAll(PARAM)].map((m) => m[1]!));
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!used.has(k)) continue;
    if (isTyped(v)) {
      values[k] = v.value;
      types[k] = v.type;
    } else values[k] = v;
  }
  if (Object.keys(values).length === 0) return {};
  return Object.keys(types).length === 0 ? { values } : { values, types };
}

/** Runs one query with named parameters and returns its rows as plain objects (BIGINTs as numbers when safe). */
export async function allNamed<T extends Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  params: NamedParams,
): Promise<T[]> {
  const b = bind(sql, params);
  const reader = await conn.runAndReadAll(sql, b.values, b.types);
  return reader.getRowObjectsJS().map((row) => {
    for (const [k, v] of Object.entries(row)) {
      if (
        typeof v === 'bigint' &&
        v >= BigInt(Number.MIN_SAFE_INTEGER) &&
        v <= BigInt(Number.MAX_SAFE_INTEGER)
      )
        row[k] = Number(v);
    }
    return row as T;
  });
}
