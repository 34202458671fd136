import type { ColumnSpec } from '../types.ts';
import type { LineFile, LineParser } from '../core/files/line-files.ts';
import type { Line } from '../core/files/line-reader.ts';
import { LOG_LINE } from './log-sql.ts';

/**
 * Access-log lines landed as they are: `hit_key` (file identity + byte offset: unique, and the
 * same after the file is rotated) and the line. The transform splits them into the format's
 * columns in SQL (`log-sql.ts`), which are the columns the source shows (`sourceColumns`).
 */
export class LogLineKeeper implements LineParser {
  readonly columns: readonly ColumnSpec[] = [
    { name: 'hit_key', type: 'VARCHAR' },
    { name: LOG_LINE, type: 'VARCHAR' },
  ];
  readonly growing = false;
  readonly keepsLines = true;

  constructor(readonly sourceColumns: readonly ColumnSpec[]) {}

  parse(text: string, line: Line, file: LineFile): string[] {
    return [`${file.id}:${line.offset}`, text];
  }
}
