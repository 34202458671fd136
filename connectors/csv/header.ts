import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { readBytes, isUtf8Name } from '../core/files/byte-ranges.ts';
import type { CsvTableOptions } from './options.ts';

const HEAD_BYTES = 1 << 20;

/**
 * The first record of a CSV file after `skip_lines` (the header, or the first row when there is
 * none), decoded from the file's encoding. Null for a file with no record yet.
 */
export async function firstRecord(
  file: string,
  size: number,
  o: CsvTableOptions,
): Promise<string[] | null> {
  const bytes = await readBytes(file, 0, Math.min(size, HEAD_BYTES));
  let text = isUtf8Name(o.encoding) ? bytes.toString('utf8') : iconv.decode(bytes, o.encoding);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (let i = 0; i < o.skip_lines; i++) {
    const nl = text.indexOf('\n');
    text = nl < 0 ? '' : text.slice(nl + 1);
  }
  if (text.trim() === '') return null;
  const records = parse(text, {
    delimiter: o.delimiter,
    quote: o.quote === '' ? false : o.quote,
    escape: o.escape ?? (o.quote === '' ? '\\' : o.quote),
    to: 1,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
  }) as string[][];
  return records[0] ?? null;
}

/**
 * Column names as landed: blank names become `column_<n>`, repeats (DuckDB names ignore case)
 * get `_2`, `_3`… so every header maps to distinct columns.
 */
export function columnNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    const base = h.trim() === '' ? `column_${i + 1}` : h.trim();
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}
