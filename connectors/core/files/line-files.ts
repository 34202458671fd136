import path from 'node:path';
import type {
  Batch,
  ColumnSpec,
  CsvBatch,
  ExtractEnd,
  ExtractJob,
  Rejection,
} from '../../types.ts';
import { CsvRowChunks, ROW_CSV } from '../csv-chunks.ts';
import { fileError, fileRoot, listTableFiles, tablePattern } from './file-source.ts';
import { markAfter, planFiles, type FileMark, type FilePlan } from './file-tracker.ts';
import { readLines, type Line } from './line-reader.ts';

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
  parse(text: string, line: Line, file: LineFile): (string | null)[] | string | null;
}

const MAX_HELD_REJECTS = 10_000;
// Parsed rows are wide (a log line lands as ~17 columns): they are inserted in order (see
// Landing), which spills under a small memory_limit when a file is large; small files also let
// DuckDB land one while the next is parsed. 1M log lines: 11.6 s in 50k-row files, 27 s in one.
const LINE_BATCH_ROWS = 50_000;
const LINE_COLUMN: ColumnSpec = { name: '_line', type: 'BIGINT' };

/**
 * Extraction of line-oriented files (JSON lines, access logs): new files read whole, growing
 * files from where the last load stopped, up to the last complete line; rotated files
 * continue under their new name. Parsed rows are written as CSV temp files DuckDB lands in
 * bulk, each with `_file` and `_line`; lines that do not parse travel with them as rejections.
 */
export async function* extractLineFiles(
  job: ExtractJob,
  encoding: string,
  parser: LineParser,
): AsyncGenerator<Batch, ExtractEnd, void> {
  const root = fileRoot(job.source, job.baseDir);
  const found = await listTableFiles(
    job.source,
    job.table.name,
    root,
    tablePattern(job.table.options),
  );
  const marks = (job.state.data.files ?? {}) as Record<string, FileMark>;
  const plans = await planFiles(found, marks, { lineOriented: true });
  const next: Record<string, FileMark> = {};
  let seq = 0;
  for (const plan of plans) {
    if (plan.start === plan.end) {
      next[plan.rel] = await markAfter(plan, { lines: plan.startLine });
      continue;
    }
    job.logger.debug(
      `${job.source.name}.${job.table.name}: ${plan.rel} ${plan.reason}, bytes ${plan.start}–${plan.end}`,
    );
    const lines = yield* readPlan(job, plan, encoding, parser, () =>
      path.join(job.tempDir, `lines-${++seq}.csv`),
    );
    next[plan.rel] = await markAfter(plan, { lines });
  }
  return { cursor: null, data: { files: next }, columns: [LINE_COLUMN, ...parser.columns] };
}

async function* readPlan(
  job: ExtractJob,
  plan: FilePlan,
  encoding: string,
  parser: LineParser,
  nextPath: () => string,
): AsyncGenerator<Batch, number, void> {
  const file: LineFile = { rel: plan.rel, id: (plan.head ?? '').slice(0, 12) };
  const out = new CsvRowChunks(nextPath, Math.min(job.batchRows, LINE_BATCH_ROWS), [true]);
  let rejects: Rejection[] = [];
  const batch = (p: string): CsvBatch => {
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
    };
    rejects = [];
    return b;
  };
  const reader = readLines(plan.file, plan.start, plan.end, plan.startLine, encoding);
  try {
    for (;;) {
      const step = await reader.next().catch((err: unknown) => {
        throw fileError(job.source.name, job.table.name, plan.file, err);
      });
      if (step.done === true) {
        const last = await out.finish();
        if (last !== undefined) yield batch(last);
        else if (rejects.length > 0) yield { kind: 'rejects', rejects };
        return step.value;
      }
      job.signal?.throwIfAborted();
      for (const line of step.value) {
        const parsed =
          line.text === null
            ? 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)'
            : parser.parse(line.text, line, file);
        if (parsed === null) continue;
        if (typeof parsed === 'string') {
          rejects.push({ reason: parsed, raw: line.raw, location: `${plan.rel}:${line.no}` });
          continue;
        }
        parsed.unshift(String(line.no));
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
