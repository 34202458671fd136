import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { PG_TYPES } from '../pg-types.ts';
import { readRows } from '../../../foundation/duckdb-client.ts';

/** The attached in-memory database holding the emulated catalog. */
export const SHIM_DB = 'cdwpg';

/**
 * What the rewriter may route to the emulated catalog: table macros standing for
 * `pg_catalog.*` and `information_schema.*` relations, and scalar macros standing for
 * PostgreSQL functions. Read back from the installed catalog, so the SQL file is the only list.
 */
export interface ShimCatalog {
  readonly pgTables: ReadonlySet<string>;
  readonly infoTables: ReadonlySet<string>;
  readonly pgFunctions: ReadonlySet<string>;
  readonly infoFunctions: ReadonlySet<string>;
}

const SQL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pg-catalog.sql');

/** Relations PostgreSQL clients name by `'pg_class'::regclass`, with PostgreSQL's OIDs. */
const SYSTEM_RELATIONS: readonly [number, string][] = [
  [1247, 'pg_type'],
  [1249, 'pg_attribute'],
  [1255, 'pg_proc'],
  [1259, 'pg_class'],
  [2604, 'pg_attrdef'],
  [2606, 'pg_constraint'],
  [2609, 'pg_description'],
  [2610, 'pg_index'],
  [2615, 'pg_namespace'],
  [1262, 'pg_database'],
  [1260, 'pg_authid'],
  [3456, 'pg_collation'],
];

/** Installs the emulated catalog into the instance once (the attached database is shared by all connections). */
export async function installCatalog(conn: DuckDBConnection): Promise<ShimCatalog> {
  await conn.run(`ATTACH ':memory:' AS ${SHIM_DB}`);
  await conn.run(`CREATE SCHEMA ${SHIM_DB}.pg; CREATE SCHEMA ${SHIM_DB}.info`);
  await conn.run(
    `CREATE TABLE ${SHIM_DB}.pg.types (oid BIGINT, name VARCHAR, sqlname VARCHAR, len INTEGER, arrayoid BIGINT, category VARCHAR)`,
  );
  await conn.run(`CREATE TABLE ${SHIM_DB}.pg.type_map (duck VARCHAR, oid BIGINT)`);
  await conn.run(`CREATE TABLE ${SHIM_DB}.pg.sysrels (oid BIGINT, relname VARCHAR)`);
  for (const t of PG_TYPES) {
    await conn.run(`INSERT INTO ${SHIM_DB}.pg.types VALUES ($1, $2, $3, $4, $5, $6)`, [
      t.oid,
      t.name,
      t.sqlName,
      t.len,
      t.arrayOid,
      t.category,
    ]);
    for (const d of t.duck)
      await conn.run(`INSERT INTO ${SHIM_DB}.pg.type_map VALUES ($1, $2)`, [d, t.oid]);
  }
  for (const [oid, name] of SYSTEM_RELATIONS)
    await conn.run(`INSERT INTO ${SHIM_DB}.pg.sysrels VALUES ($1, $2)`, [oid, name]);
  await conn.run(readFileSync(SQL_FILE, 'utf8'));
  const rows = await readRows<{
    schema_name: string;
    function_name: string;
    function_type: string;
  }>(
    conn,
    `SELECT DISTINCT schema_name, function_name, function_type FROM duckdb_functions() WHERE database_name = '${SHIM_DB}'`,
  );
  const pick = (schema: string, table: boolean) =>
    new Set(
      rows
        .filter((r) => r.schema_name === schema && (r.function_type === 'table_macro') === table)
        .map((r) => r.function_name),
    );
  return {
    pgTables: pick('pg', true),
    infoTables: pick('info', true),
    pgFunctions: pick('pg', false),
    infoFunctions: pick('info', false),
  };
}
