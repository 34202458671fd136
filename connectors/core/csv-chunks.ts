import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CsvDialect } from './batch.ts';
import { InternalError } from '../../foundation/errors.ts';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Splits a stream of standard CSV bytes (quote and escape `"`, e.g. PostgreSQL `COPY … (FORMAT
 * csv)`) into files of about `targetBytes`, cut only between records (a newline outside
 * quotes), so DuckDB can land one file while the next is written. Yields each finished file.
 */
export async function* csvByteChunks(
  src: AsyncIterable<Buffer>,
  nextPath: () => string,
  targetBytes: number,
): AsyncGenerator<string, void, void> {
  let file = new ChunkFile(nextPath());
  let inQuote = false;
  try {
    for await (const buf of src) {
      if (file.bytes + buf.length < targetBytes) {
        await file.write(buf);
        inQuote = quoteState(buf, 0, buf.length, inQuote);
        continue;
      }
      const cut = recordEnd(buf, inQuote);
      if (cut < 0) {
        await file.write(buf);
        inQuote = quoteState(buf, 0, buf.length, inQuote);
        continue;
      }
      await file.write(buf.subarray(0, cut));
      await file.close();
      yield file.path;
      file = new ChunkFile(nextPath());
      await file.write(buf.subarray(cut));
      inQuote = quoteState(buf, cut, buf.length, false);
    }
    await file.close();
    if (file.bytes > 0) yield file.path;
  } finally {
    file.destroy();
  }
}

/** Index just after the first newline that ends a record, or -1. */
function recordEnd(buf: Buffer, inQuote: boolean): number {
  let q = inQuote;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) q = !q;
    else if (b === NEWLINE && !q) return i + 1;
  }
  return -1;
}

function quoteState(buf: Buffer, from: number, to: number, inQuote: boolean): boolean {
  let q = inQuote;
  for (let p = buf.indexOf(QUOTE, from); p >= 0 && p < to; p = buf.indexOf(QUOTE, p + 1)) q = !q;
  return q;
}

/** A file being written, with back-pressure. */
export class ChunkFile {
  bytes = 0;
  private readonly out: WriteStream;
  private closed = false;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    // A large buffer: row writers hand over tens of kilobytes at a time, and a full buffer pauses the source.
    this.out = createWriteStream(path, { highWaterMark: 1 << 20 });
    // A write failing (disk full) or landing after destroy() must surface here, never as an uncaught error.
    this.out.on('error', (err) => {
      this.failure ??= err;
    });
  }

  async write(data: Buffer | string): Promise<void> {
    if (!this.writeNow(data)) await this.drained();
  }

  /** Writes without waiting; false when the stream's buffer is full (await `drained()` before writing more). */
  writeNow(data: Buffer | string): boolean {
    if (this.failure !== undefined) throw this.failure;
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    return this.out.write(data);
  }

  /** Resolves when the stream has written out what it buffered. */
  async drained(): Promise<void> {
    if (this.out.writableNeedDrain) {
      // A stream that fails or is destroyed never drains: wait for whichever comes first.
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        this.out.on('drain', done).on('close', done).on('error', done);
      });
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.out.destroyed)
      throw new InternalError(`temp file ${this.path} was closed while being written`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.failure !== undefined) throw this.failure;
    this.out.end();
    await once(this.out, 'finish');
  }

  destroy(): void {
    if (!this.closed) this.out.destroy();
  }
}

/**
 * The dialect of the files `CsvRowChunks` writes: fields separated by the unit separator
 * (U+001F), which text almost never holds — unlike the comma of addresses and names — so
 * nearly every row is written as a plain join, with no per-value quoting.
 */
export const ROW_CSV: CsvDialect = { delimiter: '\x1f', quote: '"', escape: '"' };

const SEP = '\x1f';
const NEEDS_QUOTES = /["\x1f\n\r]/;
const QUOTE_OR_NEWLINE = /["\n\r]/;

/** One field of `ROW_CSV`: NULL is an empty field, '' is `""`. */
export function csvField(v: string | null): string {
  if (v === null) return '';
  if (v === '') return '""';
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * A row that needs no quoting, joined (NULL joins as the empty field); undefined when some
 * value must be quoted or is '' (written `""`). Checked on the joined line — one test per row,
 * not per value: no quote or line break, and no separator but the n-1 of the join.
 */
function plainRow(r: readonly (string | null)[]): string | undefined {
  for (let i = 0; i < r.length; i++) if (r[i] === '') return undefined;
  const line = r.join(SEP);
  if (QUOTE_OR_NEWLINE.test(line)) return undefined;
  let seps = 0;
  for (let p = line.indexOf(SEP); p >= 0; p = line.indexOf(SEP, p + 1))
    if (++seps >= r.length) return undefined;
  return seps === r.length - 1 ? line : undefined;
}

/**
 * Rows (arrays of text or NULL) written as `ROW_CSV` into files of about `targetRows` rows.
 * `push` is synchronous (no await per row); when it returns true the caller awaits `drain`,
 * which writes what is pending and returns a finished file's path when one is complete.
 */
export class CsvRowChunks {
  private file: ChunkFile | undefined;
  private rows = 0;
  private pending: (readonly (string | null)[])[] = [];

  /** `plain[i]` marks a column whose values never need quoting (numbers, dates): no check per value. */
  constructor(
    private readonly nextPath: () => string,
    private readonly targetRows: number,
    private readonly plain: readonly boolean[] = [],
  ) {}

  /** Rows in the file being written. */
  get size(): number {
    return this.rows;
  }

  /** Takes a row (kept by reference until the next drain). True when the caller should `await drain()`. */
  push(values: readonly (string | null)[]): boolean {
    this.pending.push(values);
    this.rows++;
    // Small flushes keep each joined string under V8's large-object size (freed only by a full GC).
    return this.pending.length >= 256 || this.rows >= this.targetRows;
  }

  /**
   * Takes a row from a synchronous source (row events) and writes rows out in groups without
   * waiting. False when the caller must pause the source and `await drain()`: the file is full
   * or the disk is behind.
   */
  offer(values: readonly (string | null)[]): boolean {
    this.pending.push(values);
    this.rows++;
    if (this.rows >= this.targetRows) return false;
    if (this.pending.length < 256) return true;
    this.file ??= new ChunkFile(this.nextPath());
    return this.file.writeNow(this.pendingText());
  }

  /** Writes pending rows; returns the finished file when it reached `targetRows`. */
  async drain(): Promise<string | undefined> {
    await this.flushPending();
    return this.rows >= this.targetRows ? this.finish() : undefined;
  }

  /** Closes the current file; its path, or undefined when it holds no row. */
  async finish(): Promise<string | undefined> {
    await this.flushPending();
    const f = this.file;
    this.file = undefined;
    this.rows = 0;
    if (f === undefined) return undefined;
    await f.close();
    return f.path;
  }

  destroy(): void {
    this.file?.destroy();
  }

  private async flushPending(): Promise<void> {
    if (this.pending.length === 0) {
      await this.file?.drained();
      return;
    }
    this.file ??= new ChunkFile(this.nextPath());
    await this.file.write(this.pendingText());
  }

  private pendingText(): string {
    const plain = this.plain;
    const field = (v: string | null, i: number) =>
      plain[i] === true && v !== null && v !== '' ? v : csvField(v);
    // Built with map/join (native joins, no string grown field by field): the cheapest way in V8.
    const text = `${this.pending.map((r) => plainRow(r) ?? r.map(field).join(SEP)).join('\n')}\n`;
    this.pending = [];
    return text;
  }
}
