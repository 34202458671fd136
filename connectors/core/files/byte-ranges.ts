import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';

const WINDOW = 4096;

/** Short content hash (sha1, 20 hex chars): file identity, not security. */
export function shortHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 20);
}

/** Bytes [start, end) of a file (small ranges only). */
export async function readBytes(file: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, end - start));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * Identity of a file's content that does not change as it grows: the hash of its first line
 * (up to 4 KiB). Null while the file has no complete first line.
 */
export async function headHash(file: string, size: number): Promise<string | null> {
  const head = await readBytes(file, 0, Math.min(size, WINDOW));
  const nl = head.indexOf(0x0a);
  if (nl < 0 && head.length < WINDOW) return null;
  return shortHash(nl < 0 ? head : head.subarray(0, nl + 1));
}

/** Hash of the up to 4 KiB just before `offset`: with the head hash, proves the first `offset` bytes are unchanged. */
export async function tailHash(file: string, offset: number): Promise<string> {
  return shortHash(await readBytes(file, Math.max(0, offset - WINDOW), offset));
}

/**
 * End of the last complete line in [start, size): what a line-oriented reader may consume now
 * (a line still being written is left for the next run).
 */
export async function lastLineEnd(file: string, start: number, size: number): Promise<number> {
  let pos = size;
  while (pos > start) {
    const from = Math.max(start, pos - 64 * 1024);
    const buf = await readBytes(file, from, pos);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) return from + nl + 1;
    pos = from;
  }
  return start;
}

/** sha1 of bytes [start, end) and how many newlines they hold, in one streaming pass. */
export async function hashRange(
  file: string,
  start: number,
  end: number,
): Promise<{ hash: string; newlines: number }> {
  const h = createHash('sha1');
  let newlines = 0;
  if (end > start) {
    for await (const chunk of createReadStream(file, {
      start,
      end: end - 1,
      highWaterMark: 1 << 20,
    })) {
      const b = chunk as Buffer;
      h.update(b);
      for (let p = b.indexOf(0x0a); p >= 0; p = b.indexOf(0x0a, p + 1)) newlines++;
    }
  }
  return { hash: h.digest('hex').slice(0, 20), newlines };
}

/**
 * Copies bytes [start, end) of `file` to `dest`, decoded from `encoding` to UTF-8 when it is
 * not UTF-8 (iconv-lite, streaming). Each `blank` range (absolute offsets, sorted) is written as
 * just its line breaks, so a reader skips it as blank lines and the lines after it keep their
 * numbers. Returns how many newlines the range held.
 */
export async function copyRange(
  file: string,
  start: number,
  end: number,
  dest: string,
  encoding: string,
  blank: readonly { start: number; end: number; newlines: number }[] = [],
): Promise<{ newlines: number }> {
  let newlines = 0;
  let pos = start;
  let next = 0;
  let entered = -1;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      for (let p = chunk.indexOf(0x0a); p >= 0; p = chunk.indexOf(0x0a, p + 1)) newlines++;
      const from = pos;
      const to = (pos += chunk.length);
      if (next >= blank.length || blank[next]!.start >= to) {
        cb(null, chunk);
        return;
      }
      const parts: Buffer[] = [];
      let at = from;
      while (next < blank.length) {
        const r = blank[next]!;
        if (r.start >= to) break;
        if (r.start > at) parts.push(chunk.subarray(at - from, r.start - from));
        if (entered !== next) {
          parts.push(Buffer.from('\n'.repeat(r.newlines)));
          entered = next;
        }
        at = Math.max(at, Math.min(r.end, to));
        if (r.end > to) break;
        next++;
      }
      if (at < to) parts.push(chunk.subarray(at - from));
      cb(null, Buffer.concat(parts));
    },
  });
  if (end <= start) {
    await writeFile(dest, '');
    return { newlines: 0 };
  }
  const src = createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 });
  const stages: NodeJS.ReadWriteStream[] = [counter];
  if (!isUtf8Name(encoding)) stages.push(iconv.decodeStream(encoding), iconv.encodeStream('utf8'));
  await pipeline([src, ...stages, createWriteStream(dest)]);
  return { newlines };
}

export function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

/**
 * The offset of the first NUL byte in a file's first 8 KiB (as git and grep tell binary files):
 * text in a one-byte or UTF-8 encoding never holds one. Undefined for text, and for UTF-16/32,
 * where NUL bytes are part of the text.
 */
export async function binaryAt(file: string, encoding: string): Promise<number | undefined> {
  if (/^utf-?(16|32)/i.test(encoding) || /^ucs-?2/i.test(encoding)) return undefined;
  const head = await readBytes(file, 0, 8192);
  const at = head.indexOf(0);
  return at < 0 ? undefined : at;
}
