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

export type Batch = CsvBatch | RejectsBatch | KeysBatch;

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
}

/** The dialect of CSV files cdw writes itself and of PostgreSQL `COPY … (FORMAT csv)`. */
export const STANDARD_CSV: CsvDialect = { delimiter: ',', quote: '"', escape: '"' };
