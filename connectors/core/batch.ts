/**
 * What a connector yields to landing. Data always arrives as a CSV file DuckDB reads in bulk
 * (`read_csv` into `INSERT … SELECT`): a source's own file, a transcoded copy, a chunk of a
 * `COPY … TO STDOUT` stream, or rows a connector parsed and wrote out. No row-by-row work in
 * JavaScript on the landing side.
 */

/** A column of a batch file. `type` is a DuckDB type (VARCHAR unless the table declares `types:`). */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
}

export interface CsvDialect {
  readonly delimiter: string;
  /** Empty string: no quoting. */
  readonly quote: string;
  readonly escape: string;
}

/** A row a connector could not read. `raw` is the text as found; `location` is `file:line` or a key. */
export interface Rejection {
  readonly reason: string;
  readonly raw: string | null;
  readonly location: string | null;
}

export interface CsvBatch {
  readonly kind: 'csv';
  /** File DuckDB reads. */
  readonly path: string;
  /** Columns in file order. */
  readonly columns: readonly ColumnSpec[];
  /** Lines to skip before the first record. */
  readonly skipLines: number;
  /** The first record (after skipped lines) is a header and is not data. */
  readonly header: boolean;
  readonly dialect: CsvDialect;
  /** Rows may have fewer fields than columns (files the connector wrote itself, columns added as found). */
  readonly nullPadding?: boolean;
  readonly dateFormat?: string;
  readonly timestampFormat?: string;
  /** Extra constant columns for every row, e.g. `_file` (name → value). */
  readonly constants?: Readonly<Record<string, string>>;
  /**
   * Where rows come from, for rejected-row locations: `${label}:${line + lineOffset}` where
   * `line` is DuckDB's record number in `path`.
   */
  readonly locate: { readonly label: string; readonly lineOffset: number };
  /** The original bytes of `path` to quote for lines DuckDB found not to be valid UTF-8 (same file unless transcoded). */
  readonly bytesOf?: string;
  /** A temp file: removed once landed. */
  readonly temp: boolean;
  /** Rows the connector rejected while producing this file; they count as read. */
  readonly rejects?: readonly Rejection[];
  /** Rows of the newest full snapshot of the table: their keys are every key the source has (see `SnapshotEndBatch`). */
  readonly snapshot?: boolean;
}

/**
 * A Parquet file DuckDB reads where it lies (`read_parquet`). Every column lands as text, as
 * DuckDB prints it (nested values as JSON); the file's own types go to the schema contract.
 */
export interface ParquetBatch {
  readonly kind: 'parquet';
  readonly path: string;
  /** The file as messages name it (relative to the source folder). */
  readonly label: string;
  /** Columns in file order, with the file's (DuckDB) types. */
  readonly columns: readonly ColumnSpec[];
  readonly constants?: Readonly<Record<string, string>>;
  readonly snapshot?: boolean;
  readonly temp: boolean;
}

/** Rows the connector rejected with no file to land beside them. */
export interface RejectsBatch {
  readonly kind: 'rejects';
  readonly rejects: readonly Rejection[];
}

/**
 * Every key the source holds now (headerless CSV, VARCHAR columns in `columns` order = the
 * table's primary key). Landing turns keys that are live in raw but absent here into tombstones.
 */
export interface KeysBatch {
  readonly kind: 'keys';
  readonly path: string;
  readonly columns: readonly string[];
  readonly dialect: CsvDialect;
  readonly temp: boolean;
}

/**
 * Ends the newest full snapshot (the rows of the batches marked `snapshot`): keys live in raw
 * but absent from it get tombstones — unless the snapshot is empty, had rejected rows, or would
 * delete more than `extract.max_delete_share` of the live keys (then a warning instead).
 */
export interface SnapshotEndBatch {
  readonly kind: 'snapshot-end';
  /** The snapshot file, for messages. */
  readonly location: string;
}

/** A column as the source declares it: its name and the source's own type name (null when the source has no types: CSV, logs). */
export interface SourceColumn {
  readonly name: string;
  readonly type: string | null;
}

/**
 * The columns the source has now, yielded before the rows read with them and checked against
 * the table's schema contract (`on_schema_change`): a column the config reads that is gone or
 * retyped fails the load before anything lands (or is let through with a warning).
 */
export interface SchemaBatch {
  readonly kind: 'schema';
  readonly columns: readonly SourceColumn[];
  /**
   * Every column the source has (a header, a query's result). False when columns only add up as
   * they are seen (keys of JSON lines): then nothing is taken as removed.
   */
  readonly complete: boolean;
  /** Where the columns were seen (a file), for the report. */
  readonly location?: string;
}

export type Batch =
  CsvBatch | ParquetBatch | RejectsBatch | KeysBatch | SnapshotEndBatch | SchemaBatch;

/** What an extraction returns when it has yielded everything: the state to commit with the load. */
export interface ExtractEnd {
  /** Cursor upper bound read (stored as `meta.source_state.cursor_value`). */
  readonly cursor: string | null;
  /** Cursor value the read started from (inclusive), for the ledger. */
  readonly cursorFrom?: string | null;
  /** Kind-specific state (JSON). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Source columns known even when no rows were read (to create an empty raw table). */
  readonly columns?: readonly ColumnSpec[];
  /** What needs attention although the load may commit (an empty file, a glob that matched nothing). */
  readonly warnings?: readonly string[];
  /**
   * Database kinds: rows that appeared with a cursor older than this load's look-back window
   * since the last load (inserted late, or moved back) — not read. Reported, never silent.
   */
  readonly behindCursor?: number;
}

/** The dialect of CSV files cdw writes itself and of PostgreSQL `COPY … (FORMAT csv)`. */
export const STANDARD_CSV: CsvDialect = { delimiter: ',', quote: '"', escape: '"' };
