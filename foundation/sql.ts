import { InternalError } from './errors.ts';
/**
 * The one quoting helper for SQL identifiers. Values never go through here: they are bound
 * as parameters.
 */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new InternalError('identifier contains a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.table`, both parts quoted. */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** A SQL string literal, for the few places DuckDB takes no parameter (file paths in COPY, SET). */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new InternalError('literal contains a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}
