import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CsvDialect, Rejection } from './batch.ts';
import { InternalError } from '../../foundation/errors.ts';
import { escapeInvalidUtf8 } from './utf8.ts';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** A finished chunk file, and the records too long to land that were cut out of it. */
export interface ByteChunk {
  readonly path: string;
  readonly rejects: readonly Rejection[];
}

/**
 * Splits a stream of standard CSV bytes (quote and escape `"`, e.g. PostgreSQL `COPY … (FORMAT
 * csv)`) into files of about `targetBytes`, cut only between records (a newline outside
 * quotes), so DuckDB can land one file while the next is written. Yields each finished file.
 * A record longer than `maxRecord` never reaches a file (DuckDB would drop it, and lines after
 * it, without a word): it comes out as a rejection, `${label} record <n>`, its first 64 KiB
 * shown. Only the record still open at a buffer's end is held back — at most `maxRecord`.
 */
export async function* csvByteChunks(
  src: AsyncIterable<Buffer>,
  nextPath: () => string,
  targetBytes: number,
  opts: {
    readonly maxRecord: number;
    readonly label: string;
    /** told of the bytes read, a buffer at a time (progress) */
    readonly onBytes?: (n: number) => void;
  },
): AsyncGenerator<ByteChunk, void, void> {
  let file = new ChunkFile(nextPath());
  let rejects: Rejection[] = [];
  let inQuote = false;
  let records = 0;
  // The record open at the end of the last buffer: its parts (not written yet), or, once it
  // is too long, its first bytes and length.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping: { head: Buffer; bytes: number } | undefined;
  const reject = (head: Buffer, bytes: number) =>
    rejects.push({
      reason: `record longer than ${opts.maxRecord} bytes, the largest cdw lands (${bytes} bytes)`,
      raw: `${escapeInvalidUtf8(head.subarray(0, SHOWN))}…`,
      location: `${opts.label} record ${records + 1}`,
    });
  try {
    for await (const buf of src) {
      opts.onBytes?.(buf.length);
      let pos = 0;
      let segStart = 0;
      let recStart = pendingBytes > 0 || dropping !== undefined ? -1 : 0;
      for (let p = buf.indexOf(NEWLINE); p >= 0; p = buf.indexOf(NEWLINE, p + 1)) {
        for (let k = buf.indexOf(QUOTE, pos); k >= 0 && k < p; k = buf.indexOf(QUOTE, k + 1))
          inQuote = !inQuote;
        pos = p + 1;
        if (inQuote) continue;
        const len = recStart < 0 ? (dropping?.bytes ?? pendingBytes) + p : p - recStart;
        if (len > opts.maxRecord) {
          if (recStart > segStart) await file.write(buf.subarray(segStart, recStart));
          reject(
            recStart >= 0 ? buf.subarray(recStart, p) : (dropping?.head ?? Buffer.concat(pending)),
            len,
          );
          segStart = p + 1;
        } else if (recStart < 0) {
          for (const part of pending) await file.write(part);
        }
        pending = [];
        pendingBytes = 0;
        dropping = undefined;
        records++;
        recStart = p + 1;
        if (file.bytes + recStart - segStart >= targetBytes) {
          await file.write(buf.subarray(segStart, recStart));
          segStart = recStart;
          await file.close();
          yield { path: file.path, rejects };
          rejects = [];
          file = new ChunkFile(nextPath());
        }
      }
      for (let k = buf.indexOf(QUOTE, pos); k >= 0; k = buf.indexOf(QUOTE, k + 1))
        inQuote = !inQuote;
      if (recStart >= 0) {
        if (recStart > segStart) await file.write(buf.subarray(segStart, recStart));
        segStart = recStart;
      }
      const tail = buf.subarray(segStart);
      if (tail.length === 0) continue;
      if (dropping !== undefined) dropping.bytes += tail.length;
      else {
        pending.push(tail);
        pendingBytes += tail.length;
        if (pendingBytes > opts.maxRecord) {
          dropping = {
            head: Buffer.from(Buffer.concat(pending).subarray(0, SHOWN)),
            bytes: pendingBytes,
          };
          pending = [];
          pendingBytes = 0;
        }
      }
    }
    // A last record without its newline.
    if (dropping !== undefined) reject(dropping.head, dropping.bytes);
    else for (const part of pending) await file.write(part);
    await file.close();
    if (file.bytes > 0 || rejects.length > 0) yield { path: file.path, rejects };
  } finally {
    file.destroy();
  }
}

const SHOWN = 64 * 1024;

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

/** Where a row too long to land came from, for its rejection (`file:line`, `query row 12`). */
export type RowLocator = (row: readonly (string | null)[], n: number) => string;

/**
 * Rows (arrays of text or NULL) written as `ROW_CSV` into files of about `targetRows` rows.
 * `push` is synchronous (no await per row); when it returns true the caller awaits `drain`,
 * which writes what is pending and returns a finished file's path when one is complete. A row
 * longer than `maxRecord` once written is not written: `takeRejects` hands it over as a
 * rejection (located by `locate`), to travel with the next batch.
 */
export class CsvRowChunks {
  private file: ChunkFile | undefined;
  private rows = 0;
  private seen = 0;
  private pending: (readonly (string | null)[])[] = [];
  private rejects: Rejection[] = [];

  /** `plain[i]` marks a column whose values never need quoting (numbers, dates): no check per value. */
  constructor(
    private readonly nextPath: () => string,
    private readonly targetRows: number,
    private readonly plain: readonly boolean[] = [],
    private readonly limits: {
      readonly maxRecord: number;
      readonly locate: RowLocator;
      /** told of the rows written, a group at a time (progress) */
      readonly onRows?: (n: number) => void;
    } = {
      maxRecord: Number.MAX_SAFE_INTEGER,
      locate: (_r, n) => `row ${n}`,
    },
  ) {}

  /** Rows in the file being written. */
  get size(): number {
    return this.rows;
  }

  /** Rows found too long since the last call (they count as read, not as rows of a file). */
  takeRejects(): Rejection[] {
    const r = this.rejects;
    this.rejects = [];
    return r;
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
    // A line's length in characters bounds its bytes from below (a third of them at worst):
    // only lines that could be too long are measured.
    const lines = this.pending.map((r) => plainRow(r) ?? r.map(field).join(SEP));
    const suspect = this.limits.maxRecord / 3;
    let text: string;
    if (lines.every((l) => l.length <= suspect)) text = `${lines.join('\n')}\n`;
    else {
      const kept: string[] = [];
      lines.forEach((l, i) => {
        const row = this.pending[i]!;
        const n = this.seen + i + 1;
        const bytes = l.length <= suspect ? 0 : Buffer.byteLength(l);
        if (bytes <= this.limits.maxRecord) kept.push(l);
        else {
          this.rows--;
          this.rejects.push({
            reason: `record longer than ${this.limits.maxRecord} bytes, the largest cdw lands (${bytes} bytes)`,
            raw: `${l.slice(0, SHOWN)}…`,
            location: this.limits.locate(row, n),
          });
        }
      });
      text = kept.length === 0 ? '' : `${kept.join('\n')}\n`;
    }
    this.seen += this.pending.length;
    this.limits.onRows?.(this.pending.length);
    this.pending = [];
    return text;
  }
}
