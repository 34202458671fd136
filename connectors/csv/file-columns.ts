import { statSync } from 'node:fs';
import { columnNames, firstRecord } from './header.ts';
import { csvOptions } from './options.ts';

/** The columns of a CSV file as cdw would land them with the default dialect (for `cdw init`). */
export async function csvFileColumns(file: string): Promise<string[]> {
  const header = await firstRecord(file, statSync(file).size, csvOptions({ path: file }));
  return header === null ? [] : columnNames(header);
}
