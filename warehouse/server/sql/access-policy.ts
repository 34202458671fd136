import { SHIM_DB } from '../catalog/install-catalog.ts';
import { PgError } from '../pg-error.ts';
import type { Rewritten } from './rewrite.ts';

/**
 * What an analyst may run. DuckDB has no GRANTs, so the check works on DuckDB's own parse of
 * the statement (never on the SQL text): only SELECT; every relation read is named in
 * `public`/`marts` (DuckDB's `main` is shown as public) or is a CTE of the statement; table
 * functions only from a short list; nothing that looks like a file (a replacement scan).
 * The session also runs analyst statements in READ ONLY transactions, so a write that got past
 * this check would still fail in DuckDB.
 */
export const ANALYST_SCHEMAS: readonly string[] = ['public', 'main', 'marts'];

const ALLOWED_TABLE_FUNCTIONS = new Set([
  'range',
  'generate_series',
  'unnest',
  'generate_subscripts',
]);
const ALLOWED_REF_TYPES = new Set([
  'BASE_TABLE',
  'TABLE_FUNCTION',
  'JOIN',
  'SUBQUERY',
  'EMPTY',
  'EMPTY_FROM',
  'EXPRESSION_LIST',
  'PIVOT',
]);
const FILE_LIKE = /[./\\:]/;

function denied(what: string): PgError {
  return new PgError(
    '42501',
    `permission denied: ${what}`,
    undefined,
    'the analyst role reads the public and marts schemas only',
  );
}

/**
 * Throws a PgError (42501 / 42P01) if an analyst may not run the statement.
 * `relationExists(schema, name)` tells whether an unqualified name resolves to a relation in
 * one of the analyst's schemas.
 */
export function checkAnalystSelect(
  r: Rewritten,
  relationExists: (name: string) => boolean,
  tableMacroExists: (name: string) => boolean = () => false,
  tableMacros = true,
): void {
  for (const t of r.refTypes)
    if (!ALLOWED_REF_TYPES.has(t))
      throw denied(`${t.toLowerCase().replaceAll('_', ' ')} is not allowed`);
  for (const name of r.cteNames)
    if (FILE_LIKE.test(name)) throw denied(`a CTE named like a file (${name})`);
  for (const t of r.tables) {
    if (FILE_LIKE.test(t.table)) throw denied(`reading files is not allowed (${t.table})`);
    if (t.catalog !== '') throw denied(`relation ${t.catalog}.${t.schema}.${t.table}`);
    if (t.schema !== '') {
      if (!ANALYST_SCHEMAS.includes(t.schema)) throw denied(`relation ${t.schema}.${t.table}`);
      continue;
    }
    if (r.cteNames.has(t.table.toLowerCase())) continue;
    if (!relationExists(t.table))
      throw new PgError('42P01', `relation "${t.table}" does not exist`);
  }
  // Functions and macros: DuckDB's built-ins and PostgreSQL's (pg_catalog), and those of the
  // analyst's schemas; never another schema's macros, another database's, or the emulated
  // catalog's own (which take the visible schemas as an argument).
  for (const f of r.functions) {
    if (f.catalog !== '') throw denied(`function ${f.catalog}.${f.schema}.${f.table}()`);
    if (
      f.schema !== '' &&
      f.schema !== 'pg_catalog' &&
      f.schema !== 'information_schema' &&
      !ANALYST_SCHEMAS.includes(f.schema)
    )
      throw denied(`function ${f.schema}.${f.table}()`);
  }
  for (const f of r.tableFunctions) {
    if (f.catalog === SHIM_DB) continue;
    if (f.catalog !== '') throw denied(`table function ${f.catalog}.${f.schema}.${f.table}()`);
    // Table macros of the analyst's schemas, like views there, are for analysts — except one
    // who reads personal columns masked: a macro reads the tables beneath the masked views.
    if (f.schema !== '') {
      if (!ANALYST_SCHEMAS.includes(f.schema.toLowerCase()) || !tableMacros)
        throw denied(`table function ${f.schema}.${f.table}()`);
      continue;
    }
    const name = f.table.toLowerCase();
    if (!ALLOWED_TABLE_FUNCTIONS.has(name) && !(tableMacros && tableMacroExists(name)))
      throw denied(`table function ${f.table}()`);
  }
}
