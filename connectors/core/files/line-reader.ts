import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { escapeInvalidUtf8 } from '../utf8.ts';
import { isUtf8Name } from './byte-ranges.ts';
import type { BlockHasher } from './content-hash.ts';

/** One line of a file: its text (without the newline), number (1-based) and byte offset. */
export interface Line {
  /** Null when the bytes are not valid in the file's encoding, or the line is too long; `raw` then shows them. */
  readonly text: string | null;
  readonly raw: string;
  readonly no: number;
  readonly offset: number;
  /** Set for a line longer than the reader's limit: its length in bytes (`raw` holds its start only). */
  readonly tooLong?: number;
}

/** How much of a line too long to read is kept to show in its rejection. */
export const LONG_LINE_SHOWN = 64 * 1024;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Complete lines of bytes [start, end) of a file (end is at a line end, or the file's end once
 * its last line is final), read in 64 KB pieces and handed out a piece at a time (a piece's
 * string stays out of V8's large-object space, which only a full GC frees: memory stays flat).
 * Lines are numbered from `startLine + 1`. UTF-8 is checked per piece (and per line only when a
 * piece is not valid); other encodings are decoded with iconv-lite. A UTF-8 byte order mark at
 * the start of the file is not text. A trailing `\r` is dropped; blank lines are skipped (they
 * are not rows). A line longer than `maxBytes` is not held in memory: it comes out with
 * `tooLong` set and its first 64 KiB in `raw`. `hasher`, when given, sees every byte read (the
 * file's block hashes come from the same pass). Returns the number of the last line.
 */
export async function* readLines(
  file: string,
  start: number,
  end: number,
  startLine: number,
  encoding: string,
  maxBytes = Number.MAX_SAFE_INTEGER,
  hasher?: BlockHasher,
): AsyncGenerator<Line[], number, void> {
  if (end <= start) return startLine;
  const utf8 = isUtf8Name(encoding);
  let carry: Buffer | undefined;
  let carryOffset = start;
  let no = startLine;
  let long: { head: Buffer; bytes: number; offset: number } | undefined;
  let first = start === 0 && utf8;
  for await (const got of createReadStream(file, {
    start,
    end: end - 1,
    highWaterMark: 64 * 1024,
  })) {
    let piece = got as Buffer;
    hasher?.update(piece);
    if (first) {
      first = false;
      if (piece.subarray(0, 3).equals(BOM)) {
        piece = piece.subarray(3);
        carryOffset += 3;
      }
    }
    if (long !== undefined) {
      const nl = piece.indexOf(0x0a);
      if (nl < 0) {
        long.bytes += piece.length;
        continue;
      }
      const bytes = long.bytes + (nl > 0 && piece[nl - 1] === 0x0d ? nl - 1 : nl);
      no++;
      yield [tooLongLine(long.head, bytes, no, long.offset, utf8, encoding)];
      carryOffset = long.offset + long.bytes + nl + 1;
      long = undefined;
      piece = piece.subarray(nl + 1);
    }
    const buf = carry === undefined ? piece : Buffer.concat([carry, piece]);
    const base = carryOffset;
    const last = buf.lastIndexOf(0x0a);
    if (last < 0) {
      if (buf.length > maxBytes) {
        long = {
          head: Buffer.from(buf.subarray(0, LONG_LINE_SHOWN)),
          bytes: buf.length,
          offset: base,
        };
        carry = undefined;
      } else carry = buf;
      continue;
    }
    const valid = !utf8 || isUtf8(buf.subarray(0, last + 1));
    const out: Line[] = [];
    if (utf8 && valid) {
      // One string per piece, lines sliced from it (no copy per line). In an all-ASCII piece a
      // character index is a byte offset; otherwise offsets are counted per line.
      const text = buf.toString('utf8', 0, last + 1);
      const ascii = text.length === last + 1;
      let c = 0;
      let bytes = 0;
      while (c < text.length) {
        const nl = text.indexOf('\n', c);
        no++;
        const e = nl > c && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        const offset = ascii ? base + c : base + bytes;
        const size = ascii ? e - c : Buffer.byteLength(text.slice(c, e));
        if (size > maxBytes)
          out.push(tooLongLine(buf.subarray(offset - base), size, no, offset, utf8, encoding));
        else if (e > c) {
          const line = text.slice(c, e);
          out.push({ text: line, raw: line, no, offset });
        }
        if (!ascii) bytes += Buffer.byteLength(text.slice(c, nl + 1));
        c = nl + 1;
      }
      yield out;
      carry = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
      carryOffset = base + last + 1;
      continue;
    }
    let p = 0;
    while (p <= last) {
      const nl = buf.indexOf(0x0a, p);
      no++;
      const e = nl > p && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      if (e - p > maxBytes)
        out.push(tooLongLine(buf.subarray(p), e - p, no, base + p, utf8, encoding));
      else if (e > p) out.push(decode(buf, p, e, no, base + p, utf8, valid, encoding));
      p = nl + 1;
    }
    carry = p < buf.length ? buf.subarray(p) : undefined;
    carryOffset = base + p;
    yield out;
  }
  // The range ends at a line end, or at the end of a file whose last line is final.
  if (long !== undefined) {
    no++;
    yield [tooLongLine(long.head, long.bytes, no, long.offset, utf8, encoding)];
  } else if (carry !== undefined && carry.length > 0) {
    no++;
    const e = carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length;
    if (e > maxBytes) yield [tooLongLine(carry, e, no, carryOffset, utf8, encoding)];
    else if (e > 0)
      yield [decode(carry, 0, e, no, carryOffset, utf8, isUtf8(carry.subarray(0, e)), encoding)];
  }
  return no;
}

function tooLongLine(
  head: Buffer,
  bytes: number,
  no: number,
  offset: number,
  utf8: boolean,
  encoding: string,
): Line {
  const shown = head.subarray(0, Math.min(LONG_LINE_SHOWN, bytes));
  const text = utf8 ? escapeInvalidUtf8(shown) : iconv.decode(shown, encoding);
  return { text: null, raw: `${text}…`, no, offset, tooLong: bytes };
}

function decode(
  buf: Buffer,
  s: number,
  e: number,
  no: number,
  offset: number,
  utf8: boolean,
  valid: boolean,
  encoding: string,
): Line {
  if (!utf8) {
    const text = iconv.decode(buf.subarray(s, e), encoding);
    return { text, raw: text, no, offset };
  }
  if (valid || isUtf8(buf.subarray(s, e))) {
    const text = buf.toString('utf8', s, e);
    return { text, raw: text, no, offset };
  }
  return { text: null, raw: escapeInvalidUtf8(buf.subarray(s, e)), no, offset };
}
