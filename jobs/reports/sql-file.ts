import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The text of a `.sql` file of jobs/reports/ (path relative to this folder). One statement per file. */
export function reportSql(relative: string): string {
  return readFileSync(path.join(HERE, relative), 'utf8');
}
