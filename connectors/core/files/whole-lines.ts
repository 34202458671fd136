import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { CsvDialect } from '../batch.ts';
import { ChunkFile } from '../csv-chunks.ts';
import type { BlockHasher } from './content-hash.ts';

/**
 * The dialect of whole-line files: fields separated by U+001F and no quoting at all, so a line
 * is copied into the file byte for byte. A line holding U+001F or a carriage return (which
 * DuckDB would take for a line end) cannot be written so: it is handed back to be written quoted.
 */
export const LINE_CSV: CsvDialect = { delimiter: '\x1f', quote: '', escape: '' };

const SEP = 0x1f;
const NL = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const OUT_BYTES = 4 << 20;

/** A line that cannot be written unquoted, with where it was. */
export interface OddLine {
  readonly text: string;
  readonly no: number;
  readonly offset: number;
}

/** Where the fast read stopped, for the line-by-line reader to go on from. */
export interface WholeLinesStop {
  /** Lines read up to `offset` (the number of the last one). */
  readonly lines: number;
  /** The byte where reading stopped: `end` when it read everything. */
  readonly offset: number;
}

/**
 * Writes the complete lines of bytes [start, end) of a UTF-8 file as `LINE_CSV` rows
 * `<line number>␟<keyPrefix><byte offset>␟<line>` into files of at most `targetRows` rows,
 * copying bytes without decoding them (one `isUtf8` check per piece). Blank lines are no rows
 * (their numbers count); a trailing `\r` is not part of a line; a UTF-8 byte order mark at the
 * start of the file is not text. A line holding U+001F or a lone `\r` goes to `odd`. It stops at
 * the first piece that is not valid UTF-8 or a line longer than `maxBytes` and says where: the
 * caller reads the rest line by line, which rejects such lines. Yields each finished file with
 * its row count.
 */
export async function* wholeLineFiles(opts: {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly keyPrefix: string;
  readonly maxBytes: number;
  readonly targetRows: number;
  readonly nextPath: () => string;
  readonly odd: (line: OddLine) => void;
  readonly hasher?: BlockHasher;
  readonly signal?: AbortSignal;
}): AsyncGenerator<{ path: string; rows: number }, WholeLinesStop, void> {
  const { file, end, maxBytes } = opts;
  const key = Buffer.from(`\x1f${opts.keyPrefix}`, 'utf8');
  let no = opts.startLine;
  let carry: Buffer | undefined;
  let carryOffset = opts.start;
  let first = opts.start === 0;
  let out: ChunkFile | undefined;
  let rows = 0;
  let buf = Buffer.allocUnsafe(OUT_BYTES);
  let pos = 0;

  // Filled output buffers not yet handed to the file: written once a piece is done (no await per line).
  let full: Buffer[] = [];
  const spill = (): void => {
    if (pos === 0) return;
    full.push(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(OUT_BYTES);
    pos = 0;
  };
  const flush = async (): Promise<void> => {
    spill();
    if (full.length === 0) return;
    out ??= new ChunkFile(opts.nextPath());
    const data = full;
    full = [];
    for (const d of data) await out.write(d);
  };
  const finishFile = async (): Promise<{ path: string; rows: number } | undefined> => {
    await flush();
    const f = out;
    const n = rows;
    out = undefined;
    rows = 0;
    if (f === undefined) return undefined;
    await f.close();
    return { path: f.path, rows: n };
  };
  // The next CR and U+001F at or after a line's start in the current piece (-1: none): found
  // once per piece and moved on only past them, so a piece is searched once, not once a line.
  let cr = -1;
  let sep = -1;
  /** One line [s, e) of `b` (e at its newline or the end), at file offset `at`. */
  const line = (b: Buffer, s: number, e: number, at: number): void => {
    no++;
    if (e > s && b[e - 1] === CR) e--;
    if (e === s) return;
    if (cr >= 0 && cr < s) cr = b.indexOf(CR, s);
    if (sep >= 0 && sep < s) sep = b.indexOf(SEP, s);
    if ((cr >= 0 && cr < e) || (sep >= 0 && sep < e)) {
      opts.odd({ text: b.toString('utf8', s, e), no, offset: at });
      return;
    }
    if (pos + (e - s) + key.length + 44 > buf.length) spill();
    pos += buf.write(String(no), pos, 'latin1');
    pos += key.copy(buf, pos);
    pos += buf.write(String(at), pos, 'latin1');
    buf[pos++] = SEP;
    pos += b.copy(buf, pos, s, e);
    buf[pos++] = NL;
    rows++;
  };
  const newPiece = (b: Buffer): void => {
    cr = b.indexOf(CR);
    sep = b.indexOf(SEP);
  };

  // Where the line reader must take over (a piece not UTF-8, a line too long), if anywhere.
  let stop: number | undefined;
  try {
    read: for await (const got of createReadStream(file, {
      start: opts.start,
      end: end - 1,
      highWaterMark: 1 << 20,
    })) {
      let piece = got as Buffer;
      opts.hasher?.update(piece);
      if (first) {
        first = false;
        if (piece.subarray(0, 3).equals(BOM)) {
          piece = piece.subarray(3);
          carryOffset += 3;
        }
      }
      const b = carry === undefined ? piece : Buffer.concat([carry, piece]);
      const base = carryOffset;
      const last = b.lastIndexOf(NL);
      if (last < 0) {
        carry = b;
        if (b.length > maxBytes) {
          stop = base;
          break;
        }
        continue;
      }
      if (!isUtf8(b.subarray(0, last + 1))) {
        stop = base;
        break;
      }
      opts.signal?.throwIfAborted();
      for (let s = 0; s <= last;) {
        const nl = b.indexOf(NL, s);
        if (nl - s > maxBytes) {
          stop = base + s;
          break read;
        }
        line(b, s, nl, base + s);
        s = nl + 1;
      }
      if (rows >= opts.targetRows) {
        const f = await finishFile();
        if (f !== undefined) yield f;
      } else await flush();
      carry = last + 1 < b.length ? b.subarray(last + 1) : undefined;
      carryOffset = base + last + 1;
      if (carry !== undefined && carry.length > maxBytes) {
        stop = carryOffset;
        break;
      }
    }
    // The range ends at a line end, or at the end of a file whose last line is final.
    if (stop === undefined && carry !== undefined && carry.length > 0) {
      newPiece(carry);
      if (isUtf8(carry)) line(carry, 0, carry.length, carryOffset);
      else stop = carryOffset;
    }
    const f = await finishFile();
    if (f !== undefined) yield f;
    return { lines: no, offset: stop ?? end };
  } finally {
    out?.destroy();
  }
}
