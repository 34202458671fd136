import type { Cell } from './table-spec.ts';
import { TextFile, type TextFileOptions } from './text-file.ts';
import type { Flushable } from './outputs.ts';

export interface CsvOptions extends TextFileOptions {
  readonly delimiter?: string;
  readonly eol?: string;
  /** How booleans are written (true/false, Y/N, 1/0). */
  readonly booleans?: readonly [string, string];
  /** Columns whose values never need quoting (numbers, dates): skips the check. */
  readonly plain?: readonly boolean[];
}

/** A delimited text file with a header; quotes a field only when it must. */
export class CsvFile implements Flushable {
  private readonly file: TextFile;
  private readonly delimiter: string;
  private readonly eol: string;
  private readonly booleans: readonly [string, string];
  private readonly plain: readonly boolean[];
  /** Data lines written (with a header, data line n is file line n + 1). */
  rows = 0;

  constructor(path: string, header: readonly string[], opts: CsvOptions = {}) {
    this.file = new TextFile(path, opts);
    this.delimiter = opts.delimiter ?? ',';
    this.eol = opts.eol ?? '\n';
    this.booleans = opts.booleans ?? ['true', 'false'];
    this.plain = opts.plain ?? [];
    if (header.length > 0) this.file.write(header.join(this.delimiter) + this.eol);
  }

  private needsQuote(s: string): boolean {
    if (s.length === 0) return false;
    const first = s.charCodeAt(0);
    const last = s.charCodeAt(s.length - 1);
    return (
      s.includes(this.delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ||
      first === 32 || first === 9 || last === 32 || last === 9
    );
  }

  get path(): string {
    return this.file.path;
  }

  write(row: readonly Cell[]): void {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) line += this.delimiter;
      const v = row[i];
      if (v === null || v === undefined) continue;
      const s = typeof v === 'boolean' ? this.booleans[v ? 0 : 1] : String(v);
      line += this.plain[i] !== true && this.needsQuote(s) ? `"${s.replaceAll('"', '""')}"` : s;
    }
    this.file.write(line + this.eol);
    this.rows++;
  }

  writeUnquoted(row: readonly Cell[]): void {
    this.writeRaw(row.map((v) => (v === null ? '' : String(v))).join(this.delimiter));
  }

  /** Writes a line exactly as given: the deliberately broken rows of the demo. */
  writeRaw(line: string): void {
    this.file.write(line + this.eol);
    this.rows++;
  }

  flushIfNeeded(): Promise<void> {
    return this.file.flushIfNeeded();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
