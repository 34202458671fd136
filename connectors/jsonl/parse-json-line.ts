import type { ColumnSpec } from '../types.ts';
import type { LineParser } from '../core/files/line-files.ts';
import { isReservedColumn } from '../core/raw-table.ts';

/**
 * JSON lines → rows: one column per top-level key (in the order keys are first seen), values
 * as text — strings as they are, numbers and booleans as JSON prints them (integers beyond
 * 2^53, and numbers beyond a double such as -1e400, as written in the line), objects and arrays
 * as JSON, null as NULL. A byte order mark never reaches here (the line reader drops it).
 */
export class JsonLineParser implements LineParser {
  readonly columns: ColumnSpec[] = [];
  readonly growing = true;
  private readonly index = new Map<string, number>();
  private readonly lowerTaken = new Set<string>();

  parse(text: string): (string | null)[] | string | null {
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const at = /position (\d+)/.exec(err instanceof Error ? err.message : '');
      return `invalid JSON${at ? ` at character ${Number(at[1]) + 1}` : ''}`;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return 'not a JSON object (each line must be {…})';
    const row: (string | null)[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const i = this.columnFor(key);
      while (row.length < i) row.push(null);
      row[i] = textOf(key, v, text);
    }
    return row;
  }

  private columnFor(key: string): number {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    // DuckDB column names ignore case and cdw adds columns of its own: such keys get a suffix.
    let name = key === '' ? '_blank' : key;
    if (isReservedColumn(name)) name = `${name}_`;
    const base = name;
    for (let n = 2; this.lowerTaken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    this.lowerTaken.add(name.toLowerCase());
    this.columns.push({ name, type: 'VARCHAR' });
    this.index.set(key, this.columns.length - 1);
    return this.columns.length - 1;
  }
}

function textOf(key: string, v: unknown, line: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  // Integers beyond 2^53 and numbers beyond a double (-1e400 parses as -Infinity) land as written.
  if (typeof v === 'number')
    return !Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))
      ? (literalOf(key, line) ?? String(v))
      : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** The number literal of a top-level key as written, for numbers JSON.parse cannot hold exactly. */
function literalOf(key: string, line: string): string | undefined {
  const name = JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${name}\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)(?![\\d.eE])`).exec(
    line,
  )?.[1];
}
