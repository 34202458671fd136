import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../../foundation/sql.ts';

export const REPORT_FORMATS = ['csv', 'parquet'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format a file name asks for: `.parquet` → parquet, anything else csv. */
export function formatOfFile(file: string): ReportFormat {
  return file.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv';
}

/**
 * Writes the rows of `query` (a SELECT without parameters) to `file` with DuckDB's COPY and
 * returns how many. The file appears whole or not at all: it is written beside and renamed.
 */
export async function copyToFile(
  wh: Queryable,
  query: string,
  file: string,
  format: ReportFormat,
): Promise<number> {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet)';
  try {
    const rows = await wh.scalar(`COPY (${query}) TO ${quoteLiteral(partial)} ${options}`);
    renameSync(partial, target);
    return Number(rows);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
