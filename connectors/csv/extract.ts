import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../../foundation/errors.ts';
import type { Batch, ColumnSpec, CsvBatch, ExtractEnd, ExtractJob } from '../types.ts';
import { copyRange, hashRange, isUtf8Name } from '../core/files/byte-ranges.ts';
import { fileError, fileRoot, listTableFiles, tablePattern } from '../core/files/file-source.ts';
import { markAfter, planFiles, type FileMark, type FilePlan } from '../core/files/file-tracker.ts';
import { isReservedColumn } from '../core/raw-table.ts';
import { columnNames, firstRecord } from './header.ts';
import { csvOptions, type CsvTableOptions } from './options.ts';

/**
 * Reads the new CSV files (and rows appended to known ones) of a table. A UTF-8 file is read by
 * DuckDB where it lies; another encoding, or the appended part of a file, is first copied to a
 * UTF-8 temp file (iconv-lite, streaming). Every column lands as VARCHAR unless `types:` says
 * otherwise; bad records are DuckDB's rejects, landed in meta.rejected_rows by the caller.
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
  const found = await listTableFiles(
    job.source,
    job.table.name,
    root,
    tablePattern(job.table.options),
  );
  const marks = (job.state.data.files ?? {}) as Record<string, FileMark>;
  const plans = await planFiles(found, marks, { lineOriented: false });
  const next: Record<string, FileMark> = {};
  let known: readonly ColumnSpec[] | undefined;
  let seq = 0;
  for (const plan of plans) {
    if (plan.start === plan.end) {
      if (plan.prev !== undefined)
        next[plan.rel] = await markAfter(plan, {
          lines: plan.prev.lines,
          hash: plan.prev.hash,
          columns: plan.prev.columns,
        });
      continue;
    }
    const fresh = plan.start === 0;
    const header = fresh ? await readColumns(plan, o, job) : plan.prev?.columns;
    if (header === undefined)
      throw new SourceError(
        job.source.name,
        `${where}: ${plan.rel} grew but its columns are not on record; remove its entry from meta.source_state to read it again`,
      );
    if (header.length === 0) {
      next[plan.rel] = await markAfter(plan, { lines: 0, columns: [] });
      continue;
    }
    const columns = typedColumns(header, o, job, plan.rel);
    known = columns;
    const direct = fresh && isUtf8Name(o.encoding);
    let file = plan.file;
    let newlines:
      Promise<{ hash: string; newlines: number }> | { hash: undefined; newlines: number };
    if (direct) {
      // Hashing runs while DuckDB reads the file on its own threads.
      newlines = hashRange(plan.file, 0, plan.end).catch((err: unknown) =>
        Promise.reject(fileError(job.source.name, job.table.name, plan.file, err)),
      );
    } else {
      file = path.join(job.tempDir, `csv-${++seq}.csv`);
      const copied = await copyRange(plan.file, plan.start, plan.end, file, o.encoding).catch(
        (err: unknown) => {
          throw fileError(job.source.name, job.table.name, plan.file, err);
        },
      );
      newlines = fresh
        ? hashRange(plan.file, 0, plan.end)
        : { hash: undefined, newlines: copied.newlines };
    }
    const batch: CsvBatch = {
      kind: 'csv',
      path: file,
      columns,
      skipLines: fresh ? o.skip_lines : 0,
      header: fresh && o.header,
      dialect: { delimiter: o.delimiter, quote: o.quote, escape: o.escape ?? o.quote },
      dateFormat: o.date_format,
      timestampFormat: o.timestamp_format,
      constants: { _file: plan.rel },
      locate: { label: plan.rel, lineOffset: fresh ? 0 : plan.startLine },
      bytesOf: direct ? plan.file : undefined,
      temp: !direct,
    };
    job.logger.debug(`${where}: ${plan.rel} ${plan.reason}, bytes ${plan.start}–${plan.end}`);
    yield batch;
    if (direct) await unchangedSince(plan, job);
    const done = await newlines;
    next[plan.rel] = await markAfter(plan, {
      lines: plan.startLine + done.newlines,
      hash: fresh ? done.hash : undefined,
      columns: header,
    });
  }
  return { cursor: null, data: { files: next }, columns: known };
}

/**
 * DuckDB read the file where it lies, to its end at that moment. A file that changed meanwhile
 * (still being written) may have given rows past the recorded size, which the next run would
 * read again: the load is given up and retried instead.
 */
async function unchangedSince(plan: FilePlan, job: ExtractJob): Promise<void> {
  const now = await stat(plan.file).catch((err: unknown) => {
    throw fileError(job.source.name, job.table.name, plan.file, err);
  });
  if (now.size !== plan.size || now.mtimeMs !== plan.mtimeMs) {
    throw new SourceError(
      job.source.name,
      `source ${job.source.name} table ${job.table.name}: ${plan.rel} changed while it was read (still being written?); reading it again`,
      { retryable: true },
    );
  }
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
