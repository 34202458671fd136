import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { escapeInvalidUtf8 } from '../utf8.ts';
import { isUtf8Name } from './byte-ranges.ts';

/** One line of a file: its text (without the newline), number (1-based) and byte offset. */
export interface Line {
  /** Null when the bytes are not valid in the file's encoding; `raw` then shows them. */
  readonly text: string | null;
  readonly raw: string;
  readonly no: number;
  readonly offset: number;
}

/**
 * Complete lines of bytes [start, end) of a file (end is at a line end), read in 64 KB pieces
 * and handed out a piece at a time (a piece's string stays out of V8's large-object space,
 * which only a full GC frees: memory stays flat). Lines are numbered from `startLine + 1`.
 * UTF-8 is checked per piece (and per line only when a piece is not valid); other encodings
 * are decoded with iconv-lite. A trailing `\r` is dropped; blank lines are skipped (they are not rows). Returns the
 * number of the last line.
 */
export async function* readLines(
  file: string,
  start: number,
  end: number,
  startLine: number,
  encoding: string,
): AsyncGenerator<Line[], number, void> {
  if (end <= start) return startLine;
  const utf8 = isUtf8Name(encoding);
  let carry: Buffer | undefined;
  let carryOffset = start;
  let no = startLine;
  for await (const piece of createReadStream(file, {
    start,
    end: end - 1,
    highWaterMark: 64 * 1024,
  })) {
    const buf = carry === undefined ? (piece as Buffer) : Buffer.concat([carry, piece as Buffer]);
    const base = carryOffset;
    const last = buf.lastIndexOf(0x0a);
    if (last < 0) {
      carry = buf;
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
        if (e > c) {
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
      if (e > p) out.push(decode(buf, p, e, no, base + p, utf8, valid, encoding));
      p = nl + 1;
    }
    carry = p < buf.length ? buf.subarray(p) : undefined;
    carryOffset = base + p;
    yield out;
  }
  // The range ends at a line end, so nothing is left over; a file cut short while reading leaves a partial line.
  if (carry !== undefined && carry.length > 0) {
    no++;
    yield [decode(carry, 0, carry.length, no, carryOffset, utf8, isUtf8(carry), encoding)];
  }
  return no;
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
