import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from '../../foundation/logger.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { ShimCatalog } from './catalog/install-catalog.ts';
import type { SnapshotRouter } from './snapshot-router.ts';
import { ANALYST_SCHEMAS } from './sql/access-policy.ts';

/** What every session shares: the DuckDB instance, the emulated catalog, the snapshot router. */
export interface ServerContext {
  readonly instance: DuckDBInstance;
  readonly shim: ShimCatalog;
  readonly router: SnapshotRouter;
  readonly catalog: CatalogCache;
  readonly writes: WriteClock;
  readonly logger: Logger;
}

/**
 * Counts the writes committed to the warehouse. The server owns the file (DuckDB: one writing
 * process), so every write passes through this process and ticks the clock once committed:
 * loads and erasures at the end of `runLoad`, sessions' statements other than reads when their
 * transaction ends, user changes from the control endpoint.
 *
 * Why it matters: DuckDB 1.5 folds table statistics into a prepared statement's plan (a filter
 * the statistics rule out becomes an empty result, `min`/`max` become constants:
 * duckdb/duckdb#23704, #24182) and plans again only when the catalog changes, not when rows
 * do. A statement prepared before a write can answer from the data before it, so a prepared
 * statement is reused only while the clock shows the tick it was prepared at.
 */
export class WriteClock {
  private ticks = 0;

  get generation(): number {
    return this.ticks;
  }

  /** Call after the write has committed (a tick before the commit would let a plan slip in). */
  tick(): void {
    this.ticks++;
  }
}

/**
 * Names of schemas and relations: which unqualified names an analyst can reach, and which
 * relations of DuckDB's main are shown as public. Read again only after a write (names change
 * only by DDL, which is a write: `WriteClock`), not per statement.
 */
export class CatalogCache {
  private readAt: number | undefined;
  private schemaSet = new Set<string>();
  private analystRelations = new Set<string>();
  private mainOnlySet = new Set<string>();
  private analystMacros = new Set<string>();
  private signature = '';
  /** Goes up whenever the names read here change (plans made before may be stale). */
  generation = 0;
  private relationSet = new Set<string>();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly writes: WriteClock,
  ) {}

  /** Reads the names again if anything was written since they were read (or if `force`). */
  async refresh(force = false): Promise<void> {
    if (!force && this.readAt === this.writes.generation) return;
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private async load(): Promise<void> {
    // The clock before reading: a write committed while reading ticks past it, so the next
    // refresh reads again.
    const generation = this.writes.generation;
    const schemas = await readRows<{ s: string }>(
      this.conn,
      'SELECT schema_name AS s FROM duckdb_schemas() WHERE database_name = current_database()',
    );
    const rels = await readRows<{ s: string; n: string }>(
      this.conn,
      `SELECT schema_name AS s, table_name AS n FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
       UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary`,
    );
    // Table macros an analyst may call by name: those of the analyst's schemas that no
    // built-in shadows (so `read_csv` always means DuckDB's and stays refused).
    const macros = await readRows<{ s: string; n: string }>(
      this.conn,
      `SELECT schema_name AS s, function_name AS n FROM duckdb_functions()
       WHERE database_name = current_database() AND function_type = 'table_macro'
         AND function_name NOT IN (SELECT function_name FROM duckdb_functions() WHERE database_name = 'system')`,
    );
    this.analystMacros = new Set(
      macros.filter((r) => ANALYST_SCHEMAS.includes(r.s)).map((r) => r.n.toLowerCase()),
    );
    this.schemaSet = new Set(schemas.map((r) => r.s));
    this.relationSet = new Set(rels.map((r) => `${r.s}.${r.n.toLowerCase()}`));
    this.analystRelations = new Set(
      rels.filter((r) => ANALYST_SCHEMAS.includes(r.s)).map((r) => r.n.toLowerCase()),
    );
    const pub = new Set(rels.filter((r) => r.s === 'public').map((r) => r.n.toLowerCase()));
    this.mainOnlySet = new Set(
      rels
        .filter((r) => r.s === 'main' && !pub.has(r.n.toLowerCase()))
        .map((r) => r.n.toLowerCase()),
    );
    const signature = JSON.stringify([schemas, rels, macros]);
    if (signature !== this.signature) {
      this.signature = signature;
      this.generation++;
    }
    this.readAt = generation;
  }

  schemas(): ReadonlySet<string> {
    return this.schemaSet;
  }

  analystRelationExists(name: string): boolean {
    return this.analystRelations.has(name.toLowerCase());
  }

  /** A table macro of `public`/`marts` an analyst may call unqualified. */
  analystTableMacroExists(name: string): boolean {
    return this.analystMacros.has(name.toLowerCase());
  }

  /** Whether `schema.name` is a table or view. */
  relationExists(schema: string, name: string): boolean {
    return this.relationSet.has(`${schema}.${name.toLowerCase()}`);
  }

  mainOnly(): ReadonlySet<string> {
    return this.mainOnlySet;
  }
}
