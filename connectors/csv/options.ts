import { z } from 'zod';
import iconv from 'iconv-lite';

/** DuckDB types a CSV column may be declared as; a value that does not parse is rejected with its line. */
export const COLUMN_TYPE = z
  .string()
  .regex(
    /^(VARCHAR|BOOLEAN|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|DATE|TIME|TIMESTAMP|TIMESTAMPTZ|DECIMAL\(\d{1,2},\s*\d{1,2}\))$/,
    'expected a DuckDB type: VARCHAR, BOOLEAN, SMALLINT, INTEGER, BIGINT, HUGEINT, DOUBLE, FLOAT, DATE, TIME, TIMESTAMP, TIMESTAMPTZ or DECIMAL(p,s)',
  );

export const ENCODING = z
  .string()
  .min(1)
  .refine(
    (e) => iconv.encodingExists(e),
    'unknown encoding; expected e.g. utf-8, windows-1251, koi8-r, latin1, utf-16le',
  );

/**
 * Every file is a full export of the table (the newest one is the table now): a changed file is
 * read whole again, and with `detect_deletes: true` keys absent from the newest get tombstones.
 */
export const SNAPSHOT = z.boolean().default(false);

const oneChar = (what: string) =>
  z.string().length(1, `${what} must be one character (use "\\t" for a tab)`);

/** Keys of a `csv` table entry (beside the common ones). */
export const csvTableShape = z.strictObject({
  /** A file or a glob (`exports/pos_*.csv`), relative to `connection.dir` or the config's folder. */
  path: z.string().min(1),
  delimiter: oneChar('delimiter').default(','),
  /** Quote character; "" for none. */
  quote: z.string().max(1).default('"'),
  /** Escape character inside quotes; defaults to the quote (a doubled quote). */
  escape: oneChar('escape').optional(),
  header: z.boolean().default(true),
  /** Column names of a file without a header line (header: false). */
  columns: z.array(z.string().min(1)).min(1).optional(),
  encoding: ENCODING.default('utf-8'),
  /** Lines before the header (or the first row): titles, export banners. */
  skip_lines: z.number().int().nonnegative().default(0),
  /** Columns to type on landing (others stay VARCHAR): a value that does not parse is a rejected row. */
  types: z.record(z.string(), COLUMN_TYPE).optional(),
  /** strftime format of DATE columns, e.g. "%d.%m.%Y". */
  date_format: z.string().min(1).optional(),
  /** strftime format of TIMESTAMP columns, e.g. "%d.%m.%Y %H:%M". */
  timestamp_format: z.string().min(1).optional(),
  snapshot: SNAPSHOT,
});

export type CsvTableOptions = z.output<typeof csvTableShape>;

export function csvOptions(options: Readonly<Record<string, unknown>>): CsvTableOptions {
  return csvTableShape.parse(options);
}
