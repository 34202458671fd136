import { createReadStream } from 'node:fs';
import { BlockHasher } from '../core/files/content-hash.ts';

/** A record longer than the largest record cdw lands: bytes [start, end) of the file. */
export interface LongRecord {
  /** Line number (1-based, in the file) where the record starts. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** Line breaks inside the record (a quoted field that spans lines). */
  readonly newlines: number;
}

export interface CsvScan {
  /** Line breaks in the range. */
  readonly newlines: number;
  readonly long: readonly LongRecord[];
  /** Block hashes of [0, end), when the scan started at 0. */
  readonly blocks: readonly string[] | undefined;
}

const QUOTE_OF = (q: string) => (q.length === 1 ? q.charCodeAt(0) : -1);

/**
 * One pass over bytes [start, end) of a CSV file before DuckDB reads it: counts line breaks,
 * hashes the content (a read from the start) and finds records longer than `maxBytes`. Records
 * end at a line break outside quotes; quotes are counted only when a doubled quote is the
 * escape (the usual dialect) — with another escape, every line is a record here. DuckDB is
 * never given such a record: it drops a line longer than its buffer without a word and loses
 * lines after one longer than its limit.
 */
export async function scanCsv(
  file: string,
  range: { start: number; end: number; startLine: number },
  dialect: { quote: string; escape: string },
  maxBytes: number,
): Promise<CsvScan> {
  const quote = dialect.escape === dialect.quote ? QUOTE_OF(dialect.quote) : -1;
  const hasher = range.start === 0 ? new BlockHasher() : undefined;
  const long: LongRecord[] = [];
  let newlines = 0;
  let inQuote = false;
  let recordStart = range.start;
  let recordLine = range.startLine + 1;
  let recordNewlines = 0;
  let pos = range.start;
  const endRecord = (at: number) => {
    if (at - recordStart > maxBytes)
      long.push({ line: recordLine, start: recordStart, end: at, newlines: recordNewlines });
  };
  if (range.end > range.start) {
    for await (const piece of createReadStream(file, {
      start: range.start,
      end: range.end - 1,
      highWaterMark: 1 << 20,
    })) {
      const b = piece as Buffer;
      hasher?.update(b);
      let from = 0;
      for (let nl = b.indexOf(0x0a); nl >= 0; nl = b.indexOf(0x0a, nl + 1)) {
        if (quote >= 0)
          for (let q = b.indexOf(quote, from); q >= 0 && q < nl; q = b.indexOf(quote, q + 1))
            inQuote = !inQuote;
        from = nl + 1;
        newlines++;
        if (inQuote) {
          recordNewlines++;
          continue;
        }
        endRecord(pos + nl);
        recordStart = pos + nl + 1;
        recordLine = range.startLine + newlines + 1;
        recordNewlines = 0;
      }
      if (quote >= 0)
        for (let q = b.indexOf(quote, from); q >= 0; q = b.indexOf(quote, q + 1))
          inQuote = !inQuote;
      pos += b.length;
    }
  }
  // A last record without its line break (the file's last line, final).
  if (pos > recordStart) endRecord(pos);
  return { newlines, long, blocks: hasher?.finish() };
}
