import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queryable, Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';

/**
 * What each mart was last built from: `meta.mart_state(mart, fingerprint)`. A fingerprint is a
 * hash of everything the mart reads — the content of its input tables (a hash of every row, so
 * any writer's change is seen), the settings and as-of it uses, the fingerprints of the marts it
 * depends on and the SQL of the marts — so a mart whose fingerprint is unchanged would be built
 * the same and is skipped. The state is written only after the mart's tables committed: a kill
 * in between leaves the old fingerprint, and the next night builds the mart again.
 */
export async function openMartState(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.mart_state (mart VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, built_at TIMESTAMPTZ NOT NULL)`,
  );
}

/**
 * Which build last wrote each marts table: `meta.mart_table_versions(table_name, version)`, a new
 * version each time a mart is about to write its tables (`writes` in mart-catalog.ts), so a report
 * file is rewritten only when its table was (report-if-changed.ts) without hashing the table.
 * Marked before the write: a kill after the mark only means a file written again.
 */
export async function markWritten(wh: Warehouse, tables: readonly string[]): Promise<void> {
  await openTableVersions(wh);
  for (const t of tables)
    await wh.run(
      'INSERT OR REPLACE INTO meta.mart_table_versions VALUES ($1, uuid()::VARCHAR, now())',
      [t],
    );
}

/** The version of a marts table's last write by a mart, or undefined when no mart marks it. */
export async function tableVersion(wh: Warehouse, table: string): Promise<string | undefined> {
  await openTableVersions(wh);
  const v = await wh.scalar<string | null>(
    'SELECT version FROM meta.mart_table_versions WHERE table_name = $1',
    [table],
  );
  return typeof v === 'string' ? v : undefined;
}

async function openTableVersions(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.mart_table_versions (table_name VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, written_at TIMESTAMPTZ NOT NULL)`,
  );
}

export async function lastFingerprint(wh: Queryable, mart: string): Promise<string | undefined> {
  const fp = await wh.scalar<string | null>(
    'SELECT fingerprint FROM meta.mart_state WHERE mart = $1',
    [mart],
  );
  return typeof fp === 'string' ? fp : undefined;
}

export async function recordFingerprint(wh: Warehouse, mart: string, fp: string): Promise<void> {
  await wh.run('INSERT OR REPLACE INTO meta.mart_state VALUES ($1, $2, now())', [mart, fp]);
}

/** The mart must be built next time whatever its inputs (it failed, or was built another way). */
export async function forgetFingerprint(wh: Warehouse, mart: string): Promise<void> {
  await wh.run('DELETE FROM meta.mart_state WHERE mart = $1', [mart]);
}

/**
 * Columns that say which run wrote a row, not what it says: left out of fingerprints, so a row
 * rewritten unchanged by a later run is no change.
 */
const RUN_COLUMNS = ['run_id', 'updated_run_id'];

/** `*`, or `* EXCLUDE (…)` without the run columns of the table: the row as the marts see it. */
export async function rowWithoutRunColumns(wh: Queryable, qualifiedName: string): Promise<string> {
  const [schema, table] = qualifiedName.split('.') as [string, string];
  const cols = await wh.all<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schema, table],
  );
  return withoutRunColumns(cols.map((c) => c.column_name));
}

function withoutRunColumns(columns: readonly string[]): string {
  const drop = columns.filter((c) => RUN_COLUMNS.includes(c));
  return drop.length === 0 ? '*' : `* EXCLUDE (${drop.map((c) => quoteIdent(c)).join(', ')})`;
}

/**
 * The columns of every table and view outside `marts`, by `schema.table`: what the marts read
 * does not change while they are built, and one catalog query costs what one look-up per input
 * did (each ~5–15 ms of CPU in information_schema).
 */
export async function upstreamColumns(wh: Queryable): Promise<ReadonlyMap<string, string[]>> {
  const rows = await wh.all<{ name: string; column_name: string }>(
    `SELECT table_schema || '.' || table_name AS name, column_name FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema <> 'marts' ORDER BY table_schema, table_name, ordinal_position`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const cols = out.get(r.name) ?? [];
    cols.push(r.column_name);
    out.set(r.name, cols);
  }
  return out;
}

/**
 * The content of a table as a short string: its row count and the sum of a hash of each whole
 * row (order does not matter, duplicates count). `missing` when it does not exist. `columns`:
 * the table's columns when the caller knows them (null: it does not exist).
 */
export async function tableFingerprint(
  wh: Queryable,
  qualifiedName: string,
  columns?: readonly string[] | null,
): Promise<string> {
  const [schema, table] = qualifiedName.split('.') as [string, string];
  if (columns === null || (columns === undefined && !(await wh.tableExists(schema, table))))
    return 'missing';
  const row = await wh.all<{ n: bigint | number; h: unknown }>(
    `SELECT count(*) AS n, coalesce(sum(hash(t)), 0)::VARCHAR AS h
     FROM (SELECT ${columns === undefined ? await rowWithoutRunColumns(wh, qualifiedName) : withoutRunColumns(columns)} FROM ${qualified(schema, table)}) t`,
  );
  return `${String(row[0]?.n ?? 0)}:${String(row[0]?.h ?? 0)}`;
}

export function digest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * A hash of every `.sql` of the marts: new mart SQL (a column added, a rule changed) rebuilds
 * every mart whole, whatever its inputs.
 */
export function martsSqlVersion(): string {
  const root = fileURLToPath(new URL('./marts/', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.sql') || entry.name.endsWith('.ts')) {
        hash.update(entry.name);
        hash.update(readFileSync(full));
      }
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}
