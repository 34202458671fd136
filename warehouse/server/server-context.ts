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
  readonly logger: Logger;
}

const TTL_MS = 1000;

/**
 * Names of schemas and relations, read from DuckDB at most once a second: which unqualified
 * names an analyst can reach, and which relations of DuckDB's main are shown as public.
 */
export class CatalogCache {
  private at = 0;
  private schemaSet = new Set<string>();
  private analystRelations = new Set<string>();
  private mainOnlySet = new Set<string>();
  private analystMacros = new Set<string>();
  private signature = '';
  /** Goes up whenever the names read here change (plans made before may be stale). */
  generation = 0;
  private relationSet = new Set<string>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly conn: DuckDBConnection) {}

  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.at < TTL_MS) return;
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private async load(): Promise<void> {
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
    this.at = Date.now();
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
