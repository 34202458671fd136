/** A value of a generated row: text, number, boolean or missing. */
export type Cell = string | number | boolean | null;

/** Column types, mapped to each database's own types by its sink. */
export type ColumnType = 'text' | 'int' | 'money' | 'date' | 'ts' | 'bool';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

/** A table a system of the demo company keeps (columns in order, key first or named). */
export interface TableSpec {
  readonly system: string;
  readonly name: string;
  readonly key: string;
  readonly columns: readonly Column[];
}

/** Builds a spec from `name:type` pairs (type defaults to text). */
export function tableSpec(system: string, name: string, key: string, columns: readonly string[]): TableSpec {
  return {
    system,
    name,
    key,
    columns: columns.map((c) => {
      const [n, t] = c.split(':') as [string, ColumnType | undefined];
      return { name: n, type: t ?? 'text' };
    }),
  };
}

/** Receives the rows of one table for one night. */
export interface RowWriter {
  write(row: readonly Cell[]): void;
  /** Text storage only: writes the cells joined without quoting — a broken export line. */
  writeUnquoted?(row: readonly Cell[]): void;
  /** Rows written so far. */
  readonly rows: number;
}

/**
 * Where a database-shaped system (billing, ERP) keeps its tables: nightly CSV extracts, or a
 * real PostgreSQL/MySQL database that the nightly job then reads by cursor.
 */
export interface TableSink {
  /** `files` for CSV extracts, `database` for PostgreSQL/MySQL (typed columns refuse impossible dates). */
  readonly storage: 'files' | 'database';
  /** Describes where a table lives, for the night's manifest (`billing/accounts_2026-11-01.csv`, `cdw_demo.accounts`). */
  location(spec: TableSpec, date: string): string;
  /** Opens the table for one night's rows (created/updated rows; upserted by key in databases). */
  open(spec: TableSpec, date: string): RowWriter;
  drain(): Promise<void>;
  /** Flushes the night and keeps the sink usable for the next night. */
  endNight(): Promise<void>;
  close(): Promise<void>;
}

/** Rows of one database table held until the sink flushes them in a batch. */
export class BufferedTable implements RowWriter {
  rows = 0;
  buffer: Cell[][] = [];
  constructor(
    readonly spec: TableSpec,
    private readonly cell: (v: Cell) => Cell = (v) => v,
  ) {}
  write(row: readonly Cell[]): void {
    this.buffer.push(row.map(this.cell));
    this.rows++;
  }
  /** Takes the buffered rows, leaving the buffer empty. */
  take(): Cell[][] {
    const rows = this.buffer;
    this.buffer = [];
    return rows;
  }
}
