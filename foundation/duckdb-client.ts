import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WarehouseError } from './errors.ts';
import { quoteLiteral } from './sql.ts';
import { translateWarehouseError } from './warehouse-errors.ts';

export type SqlParam = DuckDBValue;
export type Row = Record<string, unknown>;

/**
 * What a reader needs of a warehouse: statements and rows. `Warehouse` is one; a client of a
 * `cdw serve` that owns the file (jobs/serve/remote-warehouse.ts) is another.
 */
export interface Queryable {
  run(sql: string, params?: readonly SqlParam[]): Promise<void>;
  all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  one<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  scalar<T = unknown>(sql: string, params?: readonly SqlParam[]): Promise<T>;
  tableExists(schema: string, table: string): Promise<boolean>;
}

export interface OpenOptions {
  readonly readOnly?: boolean;
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly tempDirectory?: string;
}

/**
 * The warehouse: one DuckDB file (or `:memory:`), one instance, a main connection.
 * Values always go in as parameters; identifiers through `quoteIdent`.
 * The owner (a job, the server, a test) opens it and closes it in `finally`.
 */
export class Warehouse implements Queryable {
  readonly path: string;
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  private closed = false;

  private constructor(p: string, instance: DuckDBInstance, conn: DuckDBConnection) {
    this.path = p;
    this.instance = instance;
    this.conn = conn;
  }

  static async open(file: string, opts: OpenOptions = {}): Promise<Warehouse> {
    const options: Record<string, string> = {};
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    if (opts.memoryLimit) options.memory_limit = opts.memoryLimit;
    if (opts.threads) options.threads = String(opts.threads);
    let instance: DuckDBInstance;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      instance = await DuckDBInstance.create(file, options);
    } catch (err) {
      throw translateOpenError(file, err);
    }
    const conn = await instance.connect();
    const wh = new Warehouse(file, instance, conn);
    if (opts.tempDirectory)
      await wh.run(`SET temp_directory = ${quoteLiteral(opts.tempDirectory)}`);
    return wh;
  }

  /** A further connection to the same database, for work in parallel (e.g. one per source). */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<void> {
    await this.conn.run(sql, params as SqlParam[] | undefined);
  }

  /** Rows as plain objects; BIGINTs that fit become numbers, dates become JS Dates. */
  async all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return readRows<T>(this.conn, sql, params);
  }

  async one<T extends Row = Row>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async scalar<T = unknown>(sql: string, params?: readonly SqlParam[]): Promise<T> {
    const row = await this.one(sql, params);
    return (row === undefined ? undefined : Object.values(row)[0]) as T;
  }

  /** Runs `fn` in a transaction on the main connection; rolls back when it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (err) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const n = await this.scalar<number>(
      'SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    return Number(n) > 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A database DuckDB invalidated (a fatal write error) may refuse to close cleanly; it is gone either way.
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } catch {
      // nothing more can be done with it
    }
  }
}

/**
 * The names of `schema`'s tables and views, in one catalog read: what `tableExists` answers
 * for each, for a caller with several questions and no CREATE or DROP between them. A catalog
 * read costs milliseconds of CPU that grow with the warehouse's tables, and asking for one
 * table costs as much as listing them all (`duckdb_tables()` is barely cheaper: it still
 * enumerates the catalog), so many questions cost one read this way.
 */
export async function tablesIn(db: Queryable, schema: string): Promise<ReadonlySet<string>> {
  const rows = await db.all<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [schema],
  );
  return new Set(rows.map((r) => r.table_name));
}

export async function readRows<T extends Row = Row>(
  conn: DuckDBConnection,
  sql: string,
  params?: readonly SqlParam[],
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params as SqlParam[] | undefined);
  return reader.getRowObjectsJS().map((r) => normaliseRow(r) as T);
}

function normaliseRow(row: Record<string, unknown>): Row {
  for (const [k, v] of Object.entries(row)) row[k] = normaliseValue(v);
  return row;
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (Array.isArray(v)) return v.map(normaliseValue);
  return v;
}

/** An open that failed, told by its real cause (locked, damaged, read-only, …), not by a word in DuckDB's text. */
function translateOpenError(file: string, err: unknown): WarehouseError {
  const known = translateWarehouseError(err, file);
  if (known !== undefined) return known;
  const msg = err instanceof Error ? err.message : String(err);
  return new WarehouseError(`cannot open warehouse ${file}: ${msg.split('\n')[0]}`, { cause: err });
}
