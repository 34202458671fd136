import path from 'node:path';
import iconv from 'iconv-lite';
import { SourceError } from '../../foundation/errors.ts';
import type { Batch, ColumnSpec, CsvBatch, ExtractEnd, ExtractJob, Rejection } from '../types.ts';
import { binaryAt, copyRange, isUtf8Name, readBytes } from '../core/files/byte-ranges.ts';
import {
  badFileError,
  emptyFileText,
  fileError,
  fileRoot,
  isSnapshot,
  listTableFiles,
  noFilesText,
  tablePattern,
  unchangedSince,
} from '../core/files/file-source.ts';
import { markAfter, planFiles, type FileMark, type FilePlan } from '../core/files/file-tracker.ts';
import { LONG_LINE_SHOWN } from '../core/files/line-reader.ts';
import { MAX_RECORD_BYTES } from '../core/read-csv-sql.ts';
import { isReservedColumn } from '../core/raw-table.ts';
import { escapeInvalidUtf8 } from '../core/utf8.ts';
import { columnNames, firstRecord } from './header.ts';
import { csvOptions, type CsvTableOptions } from './options.ts';
import { scanCsv, type LongRecord } from './scan.ts';

/**
 * Reads the new CSV files (and rows appended to known ones) of a table. Each file is scanned
 * first (line count, content hashes, records over the size limit); a UTF-8 file with no such
 * record is read by DuckDB where it lies, anything else (another encoding, an appended part,
 * long records blanked out) from a UTF-8 temp copy. Every column lands as VARCHAR unless
 * `types:` says otherwise; bad records are DuckDB's rejects, landed in meta.rejected_rows by
 * the caller. A binary file fails the table's load; an empty one is a warning.
 */
export async function* extractCsv(job: ExtractJob): AsyncGenerator<Batch, ExtractEnd, void> {
  const o = csvOptions(job.table.options);
  const where = `${job.source.name}.${job.table.name}`;
  if (o.columns !== undefined && o.header) {
    throw new SourceError(
      job.source.name,
      `source ${job.source.name} table ${job.table.name}: columns: names the columns of a file without a header; set header: false or remove columns`,
    );
  }
  const root = fileRoot(job.source, job.baseDir);
  const pattern = tablePattern(job.table.options);
  const found = await listTableFiles(job.source, job.table.name, root, pattern);
  const snapshot = isSnapshot(job.table);
  const marks = (job.state.data.files ?? {}) as Record<string, FileMark>;
  // A snapshot whose last line is not final yet is still being written: it waits, whole.
  const plans = (await planFiles(found, marks, { wholeFiles: false, snapshot })).filter(
    (p) => !snapshot || p.end === p.size,
  );
  // The newest snapshot lists every key the source has: with detect_deletes, the rest are deleted.
  const newest = snapshot && job.table.detectDeletes ? plans[plans.length - 1] : undefined;
  const warnings = found.length === 0 ? [noFilesText(pattern, root)] : [];
  const next: Record<string, FileMark> = { ...keptMarks(marks, found, plans) };
  const dialect = { delimiter: o.delimiter, quote: o.quote, escape: o.escape ?? o.quote };
  let known: readonly ColumnSpec[] | undefined;
  let seq = 0;
  for (const plan of plans) {
    const fresh = plan.start === 0;
    // A binary file is refused as soon as it is seen, even before it has a complete line.
    if (fresh && plan.size > 0 && plan.reason !== 'unchanged') {
      const at = await binaryAt(plan.file, o.encoding).catch((err: unknown) => {
        throw fileError(job.source.name, job.table.name, plan.file, err);
      });
      if (at !== undefined)
        throw badFileError(
          job,
          plan.rel,
          `holds binary data (a NUL byte at byte ${at}), not CSV text`,
        );
    }
    if (plan.start === plan.end) {
      if (plan.reason !== 'unchanged' && plan.size === 0) warnings.push(emptyFileText(plan.rel));
      next[plan.rel] = await markAfter(plan, {
        lines: plan.startLine,
        columns: plan.prev?.columns,
      });
      continue;
    }
    const header = fresh ? await readColumns(plan, o, job) : plan.prev?.columns;
    if (header === undefined)
      throw new SourceError(
        job.source.name,
        `${where}: ${plan.rel} grew but its columns are not on record; remove its entry from meta.source_state to read it again`,
      );
    const scan = await scanCsv(
      plan.file,
      { start: plan.start, end: plan.end, startLine: plan.startLine },
      dialect,
      MAX_RECORD_BYTES,
    ).catch((err: unknown) => {
      throw fileError(job.source.name, job.table.name, plan.file, err);
    });
    if (header.length === 0) {
      if (fresh) warnings.push(emptyFileText(plan.rel));
      next[plan.rel] = await markAfter(plan, {
        lines: plan.startLine + scan.newlines,
        columns: [],
        blocks: scan.blocks,
      });
      continue;
    }
    const firstDataLine = fresh ? o.skip_lines + (o.header ? 1 : 0) : 0;
    if (fresh && o.header && scan.long.some((r) => r.line === o.skip_lines + 1))
      throw badFileError(
        job,
        plan.rel,
        `has a header line longer than ${MAX_RECORD_BYTES} bytes; is it a CSV file with the configured delimiter?`,
      );
    // Records in the skipped lines or the header are not rows.
    const long = scan.long.filter((r) => r.line - plan.startLine > firstDataLine);
    const columns = typedColumns(header, o, job, plan.rel);
    known = columns;
    if (fresh)
      yield {
        kind: 'schema',
        columns: header.map((name) => ({ name, type: null })),
        complete: true,
        location: plan.rel,
      };
    const direct =
      fresh && isUtf8Name(o.encoding) && plan.end === plan.size && scan.long.length === 0;
    let file = plan.file;
    if (!direct) {
      file = path.join(job.tempDir, `csv-${++seq}.csv`);
      await copyRange(plan.file, plan.start, plan.end, file, o.encoding, long).catch(
        (err: unknown) => {
          throw fileError(job.source.name, job.table.name, plan.file, err);
        },
      );
    }
    const batch: CsvBatch = {
      kind: 'csv',
      path: file,
      columns,
      skipLines: fresh ? o.skip_lines : 0,
      header: fresh && o.header,
      dialect,
      dateFormat: o.date_format,
      timestampFormat: o.timestamp_format,
      constants: { _file: plan.rel },
      locate: { label: plan.rel, lineOffset: fresh ? 0 : plan.startLine },
      bytesOf: direct ? plan.file : undefined,
      temp: !direct,
      rejects: await longRejects(plan, long, o.encoding),
      ...(plan === newest ? { snapshot: true } : {}),
    };
    job.logger.debug(
      `${where}: ${plan.rel} ${plan.reason}, bytes ${plan.start}–${plan.end}${plan.changedAt === undefined ? '' : ` (changed from byte ${plan.changedAt})`}`,
    );
    yield batch;
    if (plan === newest) yield { kind: 'snapshot-end', location: plan.rel };
    if (direct) await unchangedSince(plan, job);
    next[plan.rel] = await markAfter(plan, {
      lines: plan.startLine + scan.newlines,
      columns: header,
      blocks: scan.blocks,
    });
  }
  return { cursor: null, data: { files: next }, columns: known, warnings };
}

/** Marks of files still there that were not planned now (a snapshot still being written). */
function keptMarks(
  marks: Readonly<Record<string, FileMark>>,
  found: readonly { rel: string }[],
  plans: readonly FilePlan[],
): Record<string, FileMark> {
  const out: Record<string, FileMark> = {};
  for (const f of found)
    if (marks[f.rel] !== undefined && !plans.some((p) => p.rel === f.rel))
      out[f.rel] = marks[f.rel]!;
  return out;
}

/** Records over the size limit, rejected with their file and line; their first 64 KiB shown. */
async function longRejects(
  plan: FilePlan,
  long: readonly LongRecord[],
  encoding: string,
): Promise<Rejection[]> {
  const out: Rejection[] = [];
  for (const r of long) {
    const head = await readBytes(plan.file, r.start, Math.min(r.end, r.start + LONG_LINE_SHOWN));
    const text = isUtf8Name(encoding) ? escapeInvalidUtf8(head) : iconv.decode(head, encoding);
    out.push({
      reason: `record longer than ${MAX_RECORD_BYTES} bytes, the largest cdw lands (${r.end - r.start} bytes)`,
      raw: `${text}…`,
      location: `${plan.rel}:${r.line}`,
    });
  }
  return out;
}

async function readColumns(plan: FilePlan, o: CsvTableOptions, job: ExtractJob): Promise<string[]> {
  const first = await firstRecord(plan.file, plan.end, o).catch((err: unknown) => {
    throw fileError(job.source.name, job.table.name, plan.file, err);
  });
  if (first === null) return [];
  if (!o.header) {
    if (o.columns !== undefined) return [...o.columns];
    return first.map((_, i) => `column_${i + 1}`);
  }
  return columnNames(first);
}

function typedColumns(
  header: readonly string[],
  o: CsvTableOptions,
  job: ExtractJob,
  rel: string,
): ColumnSpec[] {
  const clash = header.find(isReservedColumn);
  if (clash !== undefined) {
    throw new SourceError(
      job.source.name,
      `source ${job.source.name} table ${job.table.name}: ${rel} has a column named ${clash}, which cdw adds itself; rename it in the file or list columns: with header: false`,
    );
  }
  const types = o.types ?? {};
  const lower = new Map(header.map((h) => [h.toLowerCase(), h]));
  for (const name of Object.keys(types)) {
    if (!lower.has(name.toLowerCase())) {
      throw new SourceError(
        job.source.name,
        `source ${job.source.name} table ${job.table.name}: types.${name}: ${rel} has no column ${name} (columns: ${header.join(', ')})`,
      );
    }
  }
  const typeOf = new Map(
    Object.entries(types).map(([k, v]) => [k.toLowerCase(), v.replace(/\s+/g, '')]),
  );
  return header.map((name) => ({ name, type: typeOf.get(name.toLowerCase()) ?? 'VARCHAR' }));
}
