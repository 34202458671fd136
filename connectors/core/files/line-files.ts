import path from 'node:path';
import type {
  Batch,
  ColumnSpec,
  CsvBatch,
  ExtractEnd,
  ExtractJob,
  Rejection,
  SourceColumn,
} from '../../types.ts';
import { csvField, CsvRowChunks, ROW_CSV } from '../csv-chunks.ts';
import { MAX_RECORD_BYTES } from '../read-csv-sql.ts';
import { binaryAt, isUtf8Name } from './byte-ranges.ts';
import {
  badFileError,
  emptyFileText,
  fileError,
  fileRoot,
  isSnapshot,
  listTableFiles,
  noFilesText,
  tablePattern,
} from './file-source.ts';
import { markAfter, planFiles, type FileMark, type FilePlan } from './file-tracker.ts';
import { BlockHasher } from './content-hash.ts';
import { LONG_LINE_SHOWN, readLines, type Line } from './line-reader.ts';
import { LINE_CSV, wholeLineFiles } from './whole-lines.ts';

/** The file a line parser is reading now. */
export interface LineFile {
  readonly rel: string;
  /** Identity of the file's content (hash of its first line): with a byte offset, a key for a line that survives rotation. */
  readonly id: string;
}

/**
 * Turns one line into values for `columns` (a prefix of them when columns grew after), says
 * why the line is rejected (a reason without the line's values), or null for a line that is
 * no row at all (blank).
 */
export interface LineParser {
  /** Columns so far. May grow while parsing (keys of JSON lines) when `growing`; never shrinks or reorders. */
  readonly columns: readonly ColumnSpec[];
  /** Columns appear while parsing: rows written earlier are shorter (read with NULL padding, which DuckDB reads slower). */
  readonly growing: boolean;
  /** The columns the source shows, when they are not those landed (log lines, split by the transform). */
  readonly sourceColumns?: readonly ColumnSpec[];
  /**
   * The parser keeps each line whole, as the row `<file id>:<byte offset>`, `<line>`: UTF-8
   * files are then copied into row files without a call per line (`whole-lines.ts`), and only
   * what that cannot write (invalid UTF-8, lines too long, lines holding U+001F or `\r`) is read
   * line by line.
   */
  readonly keepsLines?: boolean;
  parse(text: string, line: Line, file: LineFile): (string | null)[] | string | null;
}

const MAX_HELD_REJECTS = 10_000;
// Parsed rows are wide (a JSON line lands as many columns): they are inserted in order (see
// Landing), which spills under a small memory_limit when a file is large; small files also let
// DuckDB land one while the next is parsed. 1M 17-column rows: 11.6 s in 50k-row files, 27 s in one.
const LINE_BATCH_ROWS = 50_000;
// Whole lines are narrow rows (line number, key, line): files of many, landed unordered.
const WHOLE_LINE_BATCH_ROWS = 1_000_000;
const LINE_COLUMN: ColumnSpec = { name: '_line', type: 'BIGINT' };
// Lines shorter than this cannot make a row over the record limit (3 bytes a character at most,
// quotes doubled, a field repeated by the parser): only longer ones are measured as written.
const MEASURE_ROWS_FROM = MAX_RECORD_BYTES / 8;

export interface LineFileOptions {
  /** An empty file is worth a warning (JSON exports); not for logs, which rotate into empty files. */
  readonly warnEmpty: boolean;
}

/**
 * Extraction of line-oriented files (JSON lines, access logs): new files read whole, growing
 * files from where the last load stopped, up to the last complete line (a last line without
 * its newline waits until it is final); rotated files continue under their new name; files
 * edited in place are read again. Parsed rows are written as CSV temp files DuckDB lands in
 * bulk, each with `_file` and `_line`; lines that do not parse, and lines longer than the
 * largest record, travel with them as rejections. A binary file fails the table's load.
 */
export async function* extractLineFiles(
  job: ExtractJob,
  encoding: string,
  parser: LineParser,
  opts: LineFileOptions,
): AsyncGenerator<Batch, ExtractEnd, void> {
  const root = fileRoot(job.source, job.baseDir);
  const pattern = tablePattern(job.table.options);
  const found = await listTableFiles(job.source, job.table.name, root, pattern);
  const snapshot = isSnapshot(job.table);
  const marks = (job.state.data.files ?? {}) as Record<string, FileMark>;
  const plans = (await planFiles(found, marks, { wholeFiles: false, snapshot })).filter(
    (p) => !snapshot || p.end === p.size || p.prev !== undefined,
  );
  // The newest snapshot lists every key the source has: with detect_deletes, the rest are deleted.
  const newest = snapshot && job.table.detectDeletes ? plans[plans.length - 1] : undefined;
  const warnings = found.length === 0 ? [noFilesText(pattern, root)] : [];
  const next: Record<string, FileMark> = {};
  let seq = 0;
  let schemaSent = false;
  for (const plan of plans) {
    // A binary file is refused as soon as it is seen, even before it has a complete line.
    if (plan.start === 0 && plan.size > 0 && plan.reason !== 'unchanged')
      await refuseBinary(job, plan, encoding);
    if (plan.start === plan.end) {
      next[plan.rel] = await markAfter(plan, { lines: plan.startLine });
      if (plan.reason !== 'unchanged' && plan.size === 0 && opts.warnEmpty)
        warnings.push(emptyFileText(plan.rel));
      continue;
    }
    job.logger.debug(
      `${job.source.name}.${job.table.name}: ${plan.rel} ${plan.reason}, bytes ${plan.start}–${plan.end}${plan.changedAt === undefined ? '' : ` (changed from byte ${plan.changedAt})`}`,
    );
    if (!parser.growing && !schemaSent) {
      yield {
        kind: 'schema',
        columns: sourceColumnsOf(parser.sourceColumns ?? parser.columns),
        complete: true,
      };
      schemaSent = true;
    }
    const read = yield* readPlan(job, plan, encoding, parser, plan === newest, () =>
      path.join(job.tempDir, `lines-${++seq}.csv`),
    );
    if (parser.growing)
      yield {
        kind: 'schema',
        columns: sourceColumnsOf(parser.columns),
        complete: false,
        location: plan.rel,
      };
    if (plan === newest) yield { kind: 'snapshot-end', location: plan.rel };
    if (read.rows === 0 && plan.start === 0 && opts.warnEmpty)
      warnings.push(emptyFileText(plan.rel));
    next[plan.rel] = await markAfter(plan, { lines: read.lines, blocks: read.blocks });
  }
  // A snapshot still being written keeps its old mark: it is read once it is whole.
  for (const [rel, mark] of Object.entries(marks))
    if (next[rel] === undefined && found.some((f) => f.rel === rel)) next[rel] = mark;
  return {
    cursor: null,
    data: { files: next },
    columns: [LINE_COLUMN, ...parser.columns],
    warnings,
  };
}

function sourceColumnsOf(columns: readonly ColumnSpec[]): SourceColumn[] {
  return columns.map((c) => ({ name: c.name, type: null }));
}

async function refuseBinary(job: ExtractJob, plan: FilePlan, encoding: string): Promise<void> {
  const at = await binaryAt(plan.file, encoding).catch((err: unknown) => {
    throw fileError(job.source.name, job.table.name, plan.file, err);
  });
  if (at !== undefined)
    throw badFileError(
      job,
      plan.rel,
      `holds binary data (a NUL byte at byte ${at}), not text lines`,
    );
}

async function* readPlan(
  job: ExtractJob,
  plan: FilePlan,
  encoding: string,
  parser: LineParser,
  snapshot: boolean,
  nextPath: () => string,
): AsyncGenerator<
  Batch,
  { lines: number; rows: number; blocks: readonly string[] | undefined },
  void
> {
  const file: LineFile = { rel: plan.rel, id: (plan.head ?? '').slice(0, 12) };
  const out = new CsvRowChunks(nextPath, Math.min(job.batchRows, LINE_BATCH_ROWS), [true], {
    maxRecord: MAX_RECORD_BYTES,
    locate: (row) => `${plan.rel}:${row[0]}`,
    onRows: job.onRead && ((n) => job.onRead?.(n, 'rows')),
  });
  let rejects: Rejection[] = [];
  let rows = 0;
  const batch = (p: string): CsvBatch => {
    rejects.push(...out.takeRejects());
    const b: CsvBatch = {
      kind: 'csv',
      path: p,
      columns: [LINE_COLUMN, ...parser.columns],
      skipLines: 0,
      header: false,
      dialect: ROW_CSV,
      nullPadding: parser.growing,
      constants: { _file: plan.rel },
      locate: { label: `${plan.rel} (parsed)`, lineOffset: 0 },
      temp: true,
      rejects,
      ...(snapshot ? { snapshot: true } : {}),
    };
    rejects = [];
    return b;
  };
  // A read from the start hashes the file's blocks as it goes (no second pass for the mark).
  let hasher = plan.start === 0 ? new BlockHasher() : undefined;
  let from = { offset: plan.start, lines: plan.startLine };
  if (parser.keepsLines === true && isUtf8Name(encoding) && !snapshot) {
    const whole = wholeLineFiles({
      file: plan.file,
      start: plan.start,
      end: plan.end,
      startLine: plan.startLine,
      keyPrefix: `${file.id}:`,
      // Room for the line number and key written before the line.
      maxBytes: MAX_RECORD_BYTES - 256,
      targetRows: Math.min(job.batchRows, WHOLE_LINE_BATCH_ROWS),
      nextPath,
      hasher,
      signal: job.signal,
      odd: (l) => {
        rows++;
        const row = parser.parse(
          l.text,
          { text: l.text, raw: l.text, no: l.no, offset: l.offset },
          file,
        );
        if (typeof row === 'string')
          rejects.push({ reason: row, raw: l.text, location: `${plan.rel}:${l.no}` });
        else if (row !== null) out.push([String(l.no), ...row]);
        else rows--;
      },
    });
    for (;;) {
      const step = await whole.next().catch((err: unknown) => {
        throw fileError(job.source.name, job.table.name, plan.file, err);
      });
      if (step.done === true) {
        from = step.value;
        break;
      }
      rows += step.value.rows;
      job.onRead?.(step.value.rows, 'rows');
      rejects.push(...out.takeRejects());
      yield { ...batch(step.value.path), dialect: LINE_CSV };
    }
    if (from.offset < plan.end) hasher = undefined;
  }
  const reader = readLines(
    plan.file,
    from.offset,
    plan.end,
    from.lines,
    encoding,
    MAX_RECORD_BYTES,
    hasher,
  );
  try {
    for (;;) {
      const step = await reader.next().catch((err: unknown) => {
        throw fileError(job.source.name, job.table.name, plan.file, err);
      });
      if (step.done === true) {
        const last = await out.finish();
        if (last !== undefined) yield batch(last);
        else {
          rejects.push(...out.takeRejects());
          if (rejects.length > 0) yield { kind: 'rejects', rejects };
        }
        return { lines: step.value, rows, blocks: hasher?.finish() };
      }
      job.signal?.throwIfAborted();
      for (const line of step.value) {
        rows++;
        const parsed =
          line.tooLong !== undefined
            ? tooLongText(line.tooLong)
            : line.text === null
              ? 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)'
              : parseLine(parser, line.text, line, file);
        if (parsed === null) {
          rows--;
          continue;
        }
        if (typeof parsed === 'string') {
          rejects.push({ reason: parsed, raw: line.raw, location: `${plan.rel}:${line.no}` });
          continue;
        }
        parsed.unshift(String(line.no));
        if (line.raw.length > MEASURE_ROWS_FROM && rowBytes(parsed) > MAX_RECORD_BYTES) {
          rejects.push({
            reason: `${tooLongText(rowBytes(parsed))} once parsed into columns`,
            raw: `${line.raw.slice(0, LONG_LINE_SHOWN)}…`,
            location: `${plan.rel}:${line.no}`,
          });
          continue;
        }
        out.push(parsed);
      }
      // Written out after every piece: parsed rows die young (cheap for the GC) instead of piling up.
      const done = await out.drain();
      if (done !== undefined) yield batch(done);
      // A file of nothing but bad lines must not pile its rejections up in memory.
      if (rejects.length >= MAX_HELD_REJECTS) {
        yield { kind: 'rejects', rejects };
        rejects = [];
      }
    }
  } finally {
    out.destroy();
    await reader.return(0);
  }
}

/** A parser that fails on a line (a pattern too complex for it) rejects that line, never the load. */
function parseLine(
  parser: LineParser,
  text: string,
  line: Line,
  file: LineFile,
): (string | null)[] | string | null {
  try {
    return parser.parse(text, line, file);
  } catch (err) {
    if (err instanceof RangeError) return 'the line is too complex for the configured pattern';
    throw err;
  }
}

function tooLongText(bytes: number): string {
  return `record longer than ${MAX_RECORD_BYTES} bytes, the largest cdw lands (${bytes} bytes)`;
}

/** Bytes of a row as written to a row file (measured only for long lines). */
function rowBytes(row: readonly (string | null)[]): number {
  let n = row.length;
  for (const v of row) n += Buffer.byteLength(csvField(v));
  return n;
}
