import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import type { ColumnSpec, CsvBatch, CsvDialect } from './batch.ts';

/**
 * The largest record cdw lands (2 MiB, DuckDB's default line limit). Above it a record is
 * rejected with its file and line: the connectors find such records before DuckDB reads the
 * file (DuckDB drops a line longer than its read buffer without a word, and loses lines after
 * one longer than the limit), so what lands and what is rejected still add up to what was read.
 */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;

/**
 * The `read_csv(…)` call for a batch file: every option explicit (no sniffing, so a bad first
 * row cannot change how the rest is read), quoted empty strings kept as '' (only an unquoted
 * empty field is NULL), and bad records stored in the connection's reject tables instead of
 * failing the read or being dropped. The path is bound as `$1`; option values are config
 * values, quoted as literals.
 */
export function readCsvCall(
  b: Pick<
    CsvBatch,
    | 'columns'
    | 'skipLines'
    | 'header'
    | 'dialect'
    | 'nullPadding'
    | 'dateFormat'
    | 'timestampFormat'
  >,
  rejects: { table: string; scan: string },
): string {
  const columns = `{${b.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
  const opts = [
    `header = ${b.header}`,
    `skip = ${b.skipLines}`,
    `columns = ${columns}`,
    'auto_detect = false',
    ...dialectOptions(b.dialect),
    'allow_quoted_nulls = false',
    `null_padding = ${b.nullPadding === true}`,
    // DuckDB's default line limit (2 MiB); its read buffers default to 16× that, 32 MiB per
    // buffer in flight, which DuckDB's memory_limit does not hold back: 8 MiB buffers land as
    // fast and cut the peak RSS of 4 × 1M-row batches from 361–460 MB to 301–335 MB.
    `max_line_size = ${MAX_RECORD_BYTES}`,
    'buffer_size = 8388608',
    'store_rejects = true',
    `rejects_table = ${quoteLiteral(rejects.table)}`,
    `rejects_scan = ${quoteLiteral(rejects.scan)}`,
  ];
  if (b.dateFormat !== undefined) opts.push(`dateformat = ${quoteLiteral(b.dateFormat)}`);
  if (b.timestampFormat !== undefined)
    opts.push(`timestampformat = ${quoteLiteral(b.timestampFormat)}`);
  return `read_csv($1, ${opts.join(', ')})`;
}

/** `read_csv` of a headerless key file: all VARCHAR, no reject handling (cdw wrote it). */
export function readKeysCall(columns: readonly string[], dialect: CsvDialect): string {
  const spec = `{${columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}}`;
  return `read_csv($1, header = false, columns = ${spec}, auto_detect = false, ${dialectOptions(dialect).join(', ')}, allow_quoted_nulls = false)`;
}

function dialectOptions(d: CsvDialect): string[] {
  return [
    `delim = ${quoteLiteral(d.delimiter)}`,
    `quote = ${quoteLiteral(d.quote)}`,
    `escape = ${quoteLiteral(d.escape)}`,
  ];
}

/** Nested Parquet types land as JSON text; anything else as DuckDB prints it. */
const NESTED = /^(STRUCT|MAP|UNION)\(|\[\d*\]$/i;

/**
 * A Parquet file (path bound as `$1`) as a subquery whose columns are text: DuckDB's text of
 * each value (instants in UTC, marked `+00` as PostgreSQL prints them), nested values as JSON —
 * so rows compare and hash alike whatever the file's types.
 */
export function readParquetAsText(columns: readonly ColumnSpec[]): string {
  const select = columns.map((c) => {
    const q = quoteIdent(c.name);
    if (NESTED.test(c.type)) return `CAST(to_json(${q}) AS VARCHAR) AS ${q}`;
    // An instant prints in UTC whatever the session's time zone.
    if (/^TIMESTAMP WITH TIME ZONE$|^TIMESTAMPTZ$/i.test(c.type))
      return `CAST(timezone('UTC', ${q}) AS VARCHAR) || '+00' AS ${q}`;
    return `CAST(${q} AS VARCHAR) AS ${q}`;
  });
  return `(SELECT ${select.join(', ')} FROM read_parquet($1))`;
}
