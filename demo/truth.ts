import path from 'node:path';
import { CsvFile } from './sinks/csv-text.ts';
import type { Flushable } from './sinks/outputs.ts';
import type { Person } from './model.ts';

export const TRUTH_FILE = 'truth.csv';
export const TRUTH_COLUMNS = ['source', 'source_table', 'record_key', 'person_id', 'household_id'] as const;

/**
 * Ground truth: which person (and household) every party record belongs to. Appended night
 * by night with the records created that night, so after night n it covers nights 1…n.
 */
export class TruthFile implements Flushable {
  private readonly file: CsvFile;

  constructor(dir: string, append: boolean) {
    this.file = new CsvFile(path.join(dir, TRUTH_FILE), append ? [] : [...TRUTH_COLUMNS], { append });
  }

  add(source: string, table: string, key: string | number, p: Person): void {
    this.file.write([source, table, String(key), p.id, p.household.id]);
  }

  get rows(): number {
    return this.file.rows;
  }

  flushIfNeeded(): Promise<void> {
    return this.file.flushIfNeeded();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
