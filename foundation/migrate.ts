import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WarehouseError } from './errors.ts';
import type { Warehouse } from './duckdb-client.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migrations shipped with this cdw: `foundation/migrations/NNN_name.sql`, applied in order. */
export function shippedMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(path.join(dir, f), 'utf8'),
    }));
}

export function latestVersion(migrations = shippedMigrations()): number {
  return migrations.reduce((m, x) => Math.max(m, x.version), 0);
}

/** The schema version a warehouse is at (0 for an empty file). */
export async function currentVersion(wh: Warehouse): Promise<number> {
  if (!(await wh.tableExists('meta', 'schema_version'))) return 0;
  const v = await wh.scalar<number | null>('SELECT max(version) FROM meta.schema_version');
  return Number(v ?? 0);
}

async function appliedVersions(wh: Warehouse): Promise<number[]> {
  if (!(await wh.tableExists('meta', 'schema_version'))) return [];
  return (await wh.all<{ version: number }>('SELECT version FROM meta.schema_version')).map((r) =>
    Number(r.version),
  );
}

/**
 * Brings the warehouse to the newest schema this cdw knows, one migration per transaction.
 * A warehouse written by a newer cdw is refused rather than touched.
 */
export async function migrate(
  wh: Warehouse,
  migrations = shippedMigrations(),
): Promise<{ from: number; to: number; applied: string[] }> {
  const latest = latestVersion(migrations);
  const from = await currentVersion(wh);
  if (from > latest) {
    throw new WarehouseError(
      `warehouse ${wh.path} is at schema version ${from}, written by a newer cdw; this cdw knows up to version ${latest}. Upgrade cdw to open it.`,
    );
  }
  const applied: string[] = [];
  // Every shipped migration the file has not recorded is applied, in order — not only those
  // above its highest version, so a number left free and filled later is never skipped.
  const done = new Set(await appliedVersions(wh));
  for (const m of migrations
    .filter((x) => !done.has(x.version))
    .sort((a, b) => a.version - b.version)) {
    await wh.transaction(async () => {
      await wh.run('CREATE SCHEMA IF NOT EXISTS meta');
      await wh.run(
        'CREATE TABLE IF NOT EXISTS meta.schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      );
      try {
        await wh.run(m.sql);
      } catch (err) {
        throw new WarehouseError(
          `migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
          { cause: err },
        );
      }
      await wh.run('INSERT INTO meta.schema_version VALUES ($1, $2, current_timestamp)', [
        m.version,
        m.name,
      ]);
    });
    applied.push(`${String(m.version).padStart(3, '0')}_${m.name}`);
  }
  // DuckDB 1.5 cannot replay some ALTERs from its write-ahead log (an internal error on open
  // after a crash), so schema changes are checkpointed into the file before any work starts.
  if (applied.length > 0) await wh.run('CHECKPOINT');
  return { from, to: Math.max(from, latest), applied };
}
