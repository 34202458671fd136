import { readSql } from '../../foundation/sql-template.ts';

/** The text of a `.sql` file of jobs/reports/ (path relative to this folder). One statement per file. */
export function reportSql(relative: string): string {
  return readSql(import.meta.url, relative);
}
