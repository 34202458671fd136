import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import { stat } from 'node:fs/promises';
import { fileError } from '../core/files/file-source.ts';
import { columnNames, firstRecord } from './header.ts';
import { csvOptions } from './options.ts';

/** The columns of a CSV table: the header of its newest file that has one (or `columns:`). */
export async function csvColumns(
  source: ResolvedSource,
  table: ResolvedTable,
  files: readonly { file: string; rel: string }[],
): Promise<string[]> {
  const o = csvOptions(table.options);
  if (!o.header && o.columns !== undefined) return [...o.columns];
  for (const f of files) {
    try {
      const first = await firstRecord(f.file, (await stat(f.file)).size, o);
      if (first === null) continue;
      return o.header ? columnNames(first) : first.map((_, i) => `column_${i + 1}`);
    } catch (err) {
      throw fileError(source.name, table.name, f.file, err);
    }
  }
  return [];
}
