import { formatTable } from '../../foundation/format-table.ts';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** A query result as the shell prints it. */
export interface ResultSet {
  readonly columns: readonly string[];
  /** DuckDB type names (`DATE`, `DECIMAL(18,2)`, …), when known. */
  readonly types?: readonly string[];
  /** Values as JavaScript (dates as Date, lists as arrays). */
  readonly rows: readonly (readonly unknown[])[];
  /** The same values as DuckDB prints them (null for NULL), when known. */
  readonly text?: readonly (readonly (string | null)[])[];
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

function jsonValue(v: unknown, type: string | undefined): unknown {
  if (v instanceof Date) {
    if (type === 'DATE') return v.toISOString().slice(0, 10);
    return v.toISOString();
  }
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map((x) => jsonValue(x, undefined));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x, undefined)]));
  return v;
}

/** A value without DuckDB's text: what JavaScript has, dates by their column type. */
function fallbackText(v: unknown, type: string | undefined): string | null {
  if (v === null || v === undefined) return null;
  const j = jsonValue(v, type);
  if (v instanceof Date && type !== 'DATE')
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, '');
  return typeof j === 'object' ? JSON.stringify(j) : String(j);
}

function textRows(r: ResultSet): (string | null)[][] {
  return r.rows.map((row, i) =>
    row.map((v, j) => r.text?.[i]?.[j] ?? (v === null ? null : fallbackText(v, r.types?.[j]))),
  );
}

function isNumeric(r: ResultSet, col: number): boolean {
  const t = r.types?.[col];
  if (t !== undefined) return NUMERIC.test(t);
  return (
    r.rows.length > 0 &&
    r.rows.every((row) => row[col] === null || ['number', 'bigint'].includes(typeof row[col]))
  );
}

function csvCell(s: string | null): string {
  if (s === null) return '';
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const count = (n: number) => `(${n} row${n === 1 ? '' : 's'})`;

/**
 * Renders a result in the chosen format. Values print as DuckDB prints them (dates as dates,
 * numbers with every digit); `expanded` prints one block per row (`\x`).
 */
export function renderResult(
  r: ResultSet,
  format: OutputFormat,
  opts: { expanded?: boolean } = {},
): string {
  switch (format) {
    case 'csv':
      return [
        r.columns.map(csvCell).join(','),
        ...textRows(r).map((row) => row.map(csvCell).join(',')),
      ].join('\n');
    case 'json':
      return JSON.stringify(
        r.rows.map((row) =>
          Object.fromEntries(r.columns.map((c, i) => [c, jsonValue(row[i], r.types?.[i])])),
        ),
        null,
        2,
      );
    case 'table': {
      const text = textRows(r).map((row) => row.map((s) => (s ?? '').replace(/\s+/g, ' ')));
      if (opts.expanded) {
        const w = Math.max(0, ...r.columns.map((c) => c.length));
        const blocks = text.map((row, i) =>
          [
            `-[ RECORD ${i + 1} ]${'-'.repeat(Math.max(2, w - 8))}`,
            ...r.columns.map((c, j) => `${c.padEnd(w)} | ${row[j]}`),
          ].join('\n'),
        );
        return `${blocks.join('\n')}${blocks.length > 0 ? '\n' : ''}${count(r.rows.length)}`;
      }
      const align = r.columns.map((_, i): 'left' | 'right' => (isNumeric(r, i) ? 'right' : 'left'));
      return `${formatTable(r.columns, text, { align })}\n${count(r.rows.length)}`;
    }
  }
}
