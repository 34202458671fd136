import { SourceError } from '../../../foundation/errors.ts';
import type { ExtractJob } from '../../types.ts';
import { isReservedColumn } from '../raw-table.ts';

/**
 * Checks the columns a database read will land against what the source has: every name in
 * `columns:` exists, the cursor and primary key are among them, none collides with cdw's own.
 */
export function checkReadColumns(
  job: ExtractJob,
  all: readonly string[],
  columns: readonly string[],
): void {
  const where = `source ${job.source.name} table ${job.table.name}`;
  const fail = (text: string) => new SourceError(job.source.name, `${where}: ${text}`);
  const have = new Set(all.map((c) => c.toLowerCase()));
  const unknown = columns.filter((c) => !have.has(c.toLowerCase()));
  if (unknown.length > 0)
    throw fail(`columns: ${unknown.join(', ')} not in the source (it has ${all.join(', ')})`);
  const read = new Set(columns.map((c) => c.toLowerCase()));
  const need = [...job.table.primaryKey, ...(job.table.cursor ? [job.table.cursor.column] : [])];
  const missing = [...new Set(need.filter((c) => !read.has(c.toLowerCase())))];
  if (missing.length > 0) {
    throw fail(
      `${missing.join(', ')} (cursor or primary_key) not among the columns read; add to columns: or fix the name (the source has ${all.join(', ')})`,
    );
  }
  const clash = columns.find(isReservedColumn);
  if (clash !== undefined)
    throw fail(
      `column ${clash} collides with a column cdw adds; leave it out with columns: or alias it in query:`,
    );
}
