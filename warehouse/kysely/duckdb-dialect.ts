import {
  CompiledQuery,
  PostgresAdapter,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
  type DatabaseMetadata,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readRows, type SqlParam } from '../duckdb-client.ts';

/**
 * A small Kysely dialect for DuckDB: Kysely's PostgreSQL compiler (DuckDB speaks the same
 * `$1` parameters, quoting and RETURNING) over a connection of `@duckdb/node-api`.
 * The connection is owned by the caller (the Warehouse); destroying Kysely does not close it.
 */
export class DuckDBDialect implements Dialect {
  constructor(private readonly conn: DuckDBConnection) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new DuckDBDriver(this.conn);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new DuckDBIntrospector(db);
  }
}

class DuckDBDriver implements Driver {
  private readonly connection: DuckDBKyselyConnection;
  private queue: Promise<void> = Promise.resolve();

  constructor(conn: DuckDBConnection) {
    this.connection = new DuckDBKyselyConnection(conn);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // One DuckDB connection serialises its users, so a transaction is never interleaved.
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((r) => (release = r));
    await previous;
    this.connection.release = release;
    return this.connection;
  }
  async beginTransaction(c: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('BEGIN TRANSACTION'));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    (c as DuckDBKyselyConnection).release?.();
  }
  async destroy(): Promise<void> {}
}

class DuckDBKyselyConnection implements DatabaseConnection {
  release: (() => void) | undefined;
  constructor(private readonly conn: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const rows = await readRows(this.conn, compiled.sql, compiled.parameters as readonly SqlParam[]);
    return { rows: rows as R[] };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming through Kysely is not supported for DuckDB; use the Warehouse client');
  }
}

class DuckDBIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await this.db.executeQuery<{ name: string }>(
      CompiledQuery.raw('SELECT DISTINCT schema_name AS name FROM information_schema.schemata'),
    );
    return rows.map((r) => ({ name: r.name }));
  }
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await this.db.executeQuery<{ schema: string; table: string; type: string; column: string; data_type: string; nullable: string; dflt: string | null }>(
      CompiledQuery.raw(`SELECT t.table_schema AS schema, t.table_name AS "table", t.table_type AS type, c.column_name AS "column",
          c.data_type, c.is_nullable AS nullable, c.column_default AS dflt
        FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name)
        ORDER BY 1, 2, c.ordinal_position`),
    );
    const tables = new Map<string, TableMetadata>();
    for (const r of rows) {
      const key = `${r.schema}.${r.table}`;
      let t = tables.get(key);
      if (!t) {
        t = { schema: r.schema, name: r.table, isView: r.type === 'VIEW', columns: [] };
        tables.set(key, t);
      }
      (t.columns as unknown[]).push({
        name: r.column,
        dataType: r.data_type,
        isNullable: r.nullable === 'YES',
        isAutoIncrementing: false,
        hasDefaultValue: r.dflt !== null,
      });
    }
    return [...tables.values()];
  }
  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
