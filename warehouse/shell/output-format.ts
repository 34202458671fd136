import { formatTable } from '../../foundation/format-table.ts';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** A query result as the shell prints it. */
export interface ResultSet {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const p = plain(v);
  const s = typeof p === 'object' ? JSON.stringify(p) : String(p);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Renders a result in the chosen format (table: aligned, with a row count). */
export function renderResult(r: ResultSet, format: OutputFormat): string {
  switch (format) {
    case 'csv':
      return [
        r.columns.map(csvCell).join(','),
        ...r.rows.map((row) => row.map(csvCell).join(',')),
      ].join('\n');
    case 'json':
      return JSON.stringify(
        r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, plain(row[i])]))),
        null,
        2,
      );
    case 'table': {
      const rows = r.rows.map((row) => row.map((v) => (typeof v === 'bigint' ? plain(v) : v)));
      return `${formatTable(r.columns, rows)}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`;
    }
  }
}
