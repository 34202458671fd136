import { SourceError } from '../../foundation/errors.ts';
import type { Batch, ExtractEnd, ExtractJob } from '../types.ts';
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
import { markAfter, planFiles, type FileMark } from '../core/files/file-tracker.ts';
import { isReservedColumn } from '../core/raw-table.ts';
import { parquetSchemas } from './schema.ts';

/**
 * Reads the new and changed Parquet files of a table, each whole, where it lies (DuckDB's
 * built-in reader); a file that changed is read again whole (a table with a primary key lands
 * only its changed rows). Every column lands as text; the file's types go to the schema
 * contract. With `snapshot: true` the newest file is the table: keys absent from it get
 * tombstones (`detect_deletes`).
 */
export async function* extractParquet(job: ExtractJob): AsyncGenerator<Batch, ExtractEnd, void> {
  const where = `${job.source.name}.${job.table.name}`;
  const root = fileRoot(job.source, job.baseDir);
  const pattern = tablePattern(job.table.options);
  const found = await listTableFiles(job.source, job.table.name, root, pattern);
  const snapshot = isSnapshot(job.table);
  const marks = (job.state.data.files ?? {}) as Record<string, FileMark>;
  const plans = await planFiles(found, marks, { wholeFiles: true, snapshot: true });
  // The newest snapshot lists every key the source has: with detect_deletes, the rest are deleted.
  const newest = snapshot && job.table.detectDeletes ? plans[plans.length - 1] : undefined;
  const warnings = found.length === 0 ? [noFilesText(pattern, root)] : [];
  const next: Record<string, FileMark> = {};
  for (const plan of plans) {
    if (plan.start === plan.end) {
      if (plan.reason !== 'unchanged' && plan.end === 0) warnings.push(emptyFileText(plan.rel));
      next[plan.rel] = await markAfter(plan, { lines: 0 });
      continue;
    }
    let columns;
    try {
      [columns] = await parquetSchemas([plan.file]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== undefined)
        throw fileError(job.source.name, job.table.name, plan.file, err);
      throw badFileError(job, plan.rel, 'is not a Parquet file DuckDB can read (no valid footer)');
    }
    const clash = columns!.find((c) => isReservedColumn(c.name));
    if (clash !== undefined)
      throw new SourceError(
        job.source.name,
        `source ${job.source.name} table ${job.table.name}: ${plan.rel} has a column named ${clash.name}, which cdw adds itself; rename it in the file`,
      );
    yield {
      kind: 'schema',
      columns: columns!.map((c) => ({ name: c.name, type: c.type })),
      complete: true,
      location: plan.rel,
    };
    job.logger.debug(`${where}: ${plan.rel} ${plan.reason}, ${plan.size} bytes`);
    yield {
      kind: 'parquet',
      path: plan.file,
      label: plan.rel,
      columns: columns!,
      constants: { _file: plan.rel },
      temp: false,
      ...(plan === newest ? { snapshot: true } : {}),
    };
    if (plan === newest) yield { kind: 'snapshot-end', location: plan.rel };
    await unchangedSince(plan, job);
    next[plan.rel] = await markAfter(plan, { lines: 0 });
  }
  return {
    cursor: null,
    data: { files: next },
    columns: undefined,
    warnings,
  };
}
