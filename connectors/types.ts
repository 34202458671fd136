import type { z } from 'zod';
import type { Logger } from '../foundation/logger.ts';
import type { ResolvedSource, ResolvedTable } from '../foundation/config-types.ts';
import type { Batch, ExtractEnd } from './core/batch.ts';

export type {
  Batch,
  CsvBatch,
  KeysBatch,
  ParquetBatch,
  RejectsBatch,
  Rejection,
  SchemaBatch,
  SnapshotEndBatch,
  SourceColumn,
  ExtractEnd,
  ColumnSpec,
  CsvDialect,
} from './core/batch.ts';

/**
 * What a connector kind can do, declared as data so the pipeline never branches on a kind name.
 */
export interface ConnectorCapabilities {
  /** Reads only rows changed since the last cursor. */
  readonly incremental: boolean;
  /** Yields batches; memory stays flat whatever the source size. */
  readonly streaming: boolean;
  /** Can list all current keys to detect deleted rows. */
  readonly detectDeletes: boolean;
  /**
   * Reads files that can each be a full snapshot of the table (`snapshot: true`): deletes are
   * then detected against the newest snapshot.
   */
  readonly snapshots: boolean;
  /** Reads files (new files only; growing files by offset). */
  readonly files: boolean;
  /**
   * May read rows again that were already landed (inclusive cursor boundary, look-back, full
   * mode). Landing then skips a row whose latest landed version is identical — by primary key,
   * or by the whole row when the table has none.
   */
  readonly rereads: boolean;
}

/** One thing `cdw check` found wrong, located by the config key it is about. */
export interface CheckProblem {
  /** The table it is about (by name); none for the source as a whole. */
  readonly table?: string;
  /** The key of the table's (or, without `table`, the source's) entry: `path`, `mapping.email`, `connection.url`. */
  readonly key: string;
  /** What is wrong and what to check. No row values, no secrets. */
  readonly message: string;
}

/** Outcome of `cdw check` for one source. */
export interface CheckResult {
  readonly ok: boolean;
  /** One line: what was reached (host:port, file count) or what failed and what to check. No row values. */
  readonly detail: string;
  /** Each problem, for the CLI to show with its config path and line. */
  readonly problems?: readonly CheckProblem[];
}

export interface ConnectorContext {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Folder of the config file: relative paths in the config resolve against it. */
  readonly baseDir?: string;
}

/** State of one source table as the last committed load left it (`meta.source_state`). */
export interface TableState {
  /** Upper cursor value read by the last committed load (text as the source prints it); null before the first. */
  readonly cursor: string | null;
  /** Kind-specific state (files seen, byte offsets, the cursor column it belongs to). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Everything one extraction of one table needs. */
export interface ExtractJob {
  readonly source: ResolvedSource;
  readonly table: ResolvedTable;
  readonly state: TableState;
  /** Folder of the config file; file paths resolve against `connection.dir`, then this. */
  readonly baseDir: string;
  /** Private folder for temp files of this load; removed by the caller after the load. */
  readonly tempDir: string;
  /** Rows per batch (a temp file DuckDB reads in one INSERT). */
  readonly batchRows: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Told as the read moves (rows, or bytes for a byte stream): progress inside a large table. */
  readonly onRead?: (n: number, unit: 'rows' | 'bytes') => void;
}

/**
 * One connector kind: its config shape, how to reach it and how to read it. Implementations
 * live in `connectors/<kind>/`; the registry (`connectors/registry.ts`) is the only list of kinds.
 *
 * `connection` and `table` are zod object schemas for the kind-specific keys of a source's
 * `connection:` block and of each entry in `tables:`; config validation merges them with the
 * common keys, so typos are reported with their YAML path.
 */
/** A table found in a source by `cdw init`. */
export interface DiscoveredTable {
  /** as a `table:` entry names it (`schema.table`), or the file */
  readonly name: string;
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
}

/**
 * How `cdw init` recognises a source of a kind and reads what it holds: database kinds by URL
 * scheme (listing their tables), file kinds by file name (reading a file's columns).
 */
export interface Discovery {
  readonly urlSchemes?: readonly string[];
  /** file names this kind reads, e.g. /\.csv$/i */
  readonly filePattern?: RegExp;
  listTables?(source: ResolvedSource): Promise<DiscoveredTable[]>;
  fileColumns?(file: string): Promise<string[]>;
  /** For kinds whose columns a format fixes (web logs): the table entry to start from. */
  readonly tableTemplate?: Readonly<Record<string, unknown>>;
}

/**
 * How a kind that lands its lines whole (web logs: `log_line`) splits them: the transform runs
 * `sql` over the raw rows of a table, in SQL, and reads `columns` from it as if they were raw
 * columns. The query keeps every column of `from` and adds `columns` and `_reject` (NULL, or
 * why the line is refused — never quoting it).
 */
export interface LineSplit {
  readonly columns: readonly string[];
  sql(from: string): string;
}

export interface ConnectorKind {
  readonly kind: string;
  readonly description: string;
  readonly capabilities: ConnectorCapabilities;
  readonly connection: z.ZodObject;
  readonly table: z.ZodObject;
  /** Human description of where the source lives (`postgres 127.0.0.1:5432/billing`, a glob) — never secrets. */
  describe(source: ResolvedSource): string;
  /**
   * Tries to reach the source and every enabled table, and checks that every column a table's
   * config names (mapping, primary key, cursor) is one the table has; never throws.
   */
  check(source: ResolvedSource, ctx: ConnectorContext): Promise<CheckResult>;
  /**
   * Column names the table has now, as landed (a database's result, a CSV header, a log format,
   * the keys of a JSON file's first lines): what a mapping may name. Throws a SourceError when
   * the table cannot be reached.
   */
  columns(source: ResolvedSource, table: ResolvedTable, ctx: ConnectorContext): Promise<string[]>;
  /** Discovery for `cdw init`: how a user names a source of this kind, and what it holds. */
  readonly discovery?: Discovery;
  /** Kinds that land lines whole and leave splitting them to the transform (web logs). */
  lineSplit?(table: ResolvedTable): LineSplit;
  /**
   * Reads what changed since `job.state` and yields it as batches — files DuckDB reads in bulk,
   * rows the connector rejected, the current key set for delete detection — and returns the
   * state to store once everything yielded has landed. Nothing is written to the warehouse
   * here: landing, state and the transaction around them belong to the caller, so a failure
   * anywhere leaves the previous state in place.
   *
   * Errors are `SourceError`s translated at one boundary per driver, `retryable` when trying
   * again may help (connection reset, timeout). The generator removes its own open handles in
   * `finally` (the caller calls `return()` when it stops early).
   */
  extract(job: ExtractJob): AsyncGenerator<Batch, ExtractEnd, void>;
}
