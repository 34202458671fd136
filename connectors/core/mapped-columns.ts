import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedTable } from '../../foundation/config-types.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { isReservedColumn } from './raw-table.ts';

/** A source column the table's config reads, and the config keys that read it. */
export interface MappedColumn {
  /** As the config writes it. */
  readonly name: string;
  /** `mapping.email`, `primary_key`, `cursor` — relative to the table's entry in cdw.yaml. */
  readonly keys: readonly string[];
}

/**
 * The source columns a table's config reads: bare column names and the columns an expression
 * names (`coalesce(mobile, phone)` reads mobile and phone), the primary key and the cursor.
 * Expressions are parsed by DuckDB itself (`json_serialize_sql`), so quoting, functions and
 * string literals are told apart exactly; lambda parameters are not columns. An expression that
 * does not parse names no column here (the transform reports it). cdw's own columns (`_file`,
 * `_line`, `_loaded_at`, …) are not source columns and are left out.
 */
export async function mappedColumns(
  conn: DuckDBConnection,
  table: ResolvedTable,
): Promise<MappedColumn[]> {
  const out = new Map<string, { name: string; keys: string[] }>();
  const add = (name: string, key: string) => {
    if (isReservedColumn(name)) return;
    const k = name.toLowerCase();
    const e = out.get(k) ?? { name, keys: [] };
    if (!e.keys.includes(key)) e.keys.push(key);
    out.set(k, e);
  };
  for (const [field, expr] of Object.entries(table.mapping)) {
    for (const c of await columnsOfExpression(conn, expr)) add(c, `mapping.${field}`);
  }
  for (const c of table.primaryKey) add(c, 'primary_key');
  if (table.cursor !== undefined) add(table.cursor.column, 'cursor');
  return [...out.values()];
}

// Words the parser reads as column references but DuckDB binds as values.
const SQL_WORDS = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'now',
]);

/**
 * Column names an SQL expression references, per DuckDB's parser: the first part of a dotted
 * name (`address.city` reads the struct column address); lambda parameters are not columns.
 */
export async function columnsOfExpression(
  conn: DuckDBConnection,
  expr: string,
): Promise<readonly string[]> {
  // json_serialize_sql takes its text as a constant, not a bound parameter.
  const rows = await readRows<{ j: string }>(
    conn,
    `SELECT json_serialize_sql(${quoteLiteral(`SELECT ${expr}`)}) AS j`,
  );
  const json = rows[0]?.j;
  let names: string[] = [];
  if (json !== undefined) {
    const tree = JSON.parse(json) as { error?: boolean; statements?: unknown[] };
    if (tree.error !== true) names = columnRefs(tree.statements ?? []);
  }
  return names;
}

function columnRefs(tree: unknown): string[] {
  const refs = new Set<string>();
  const lambdaParams = new Set<string>();
  const walk = (n: unknown, inLambdaLhs: boolean) => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x, inLambdaLhs);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.class === 'COLUMN_REF' && Array.isArray(o.column_names)) {
      const name = (o.column_names as string[])[0];
      if (name !== undefined) (inLambdaLhs ? lambdaParams : refs).add(name);
      return;
    }
    if (o.class === 'LAMBDA') {
      walk(o.lhs, true);
      walk(o.expr, false);
      return;
    }
    for (const v of Object.values(o)) walk(v, inLambdaLhs);
  };
  walk(tree, false);
  return [...refs].filter((r) => !lambdaParams.has(r) && !SQL_WORDS.has(r.toLowerCase()));
}
