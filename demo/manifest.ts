import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BadRow } from './tally.ts';
import { MANIFEST_DIR } from './demo-dir.ts';

/** What one night of the demo company wrote: the manifest entry `nights/night-NNN.json`. */
export interface NightResult {
  readonly night: number;
  readonly date: string;
  /** Persons and households living in the company that night. */
  readonly persons: number;
  readonly households: number;
  /** File (relative to the demo folder) or database table → rows written that night. */
  readonly written: Readonly<Record<string, number>>;
  /** Rows added to truth.csv that night (party records created). */
  readonly truthRows: number;
  /** Deliberately bad rows, located, so the rejections cdw reports can be checked against them. */
  readonly badRows: readonly BadRow[];
  /** Problems and events put into the data that night, by `system.problem`. */
  readonly counts: Readonly<Record<string, number>>;
}

export function nightFile(night: number): string {
  return `night-${String(night).padStart(3, '0')}.json`;
}

/** Writes the night's manifest and the index of all nights so far (byte-stable: no clock, sorted keys). */
export function writeManifest(dir: string, head: Record<string, unknown>, nights: readonly NightResult[], totals: Record<string, number>): void {
  const folder = path.join(dir, MANIFEST_DIR);
  mkdirSync(folder, { recursive: true });
  const last = nights[nights.length - 1]!;
  writeFileSync(path.join(folder, nightFile(last.night)), `${JSON.stringify(last, null, 2)}\n`);
  const index = {
    ...head,
    nights: nights.map((n) => ({ night: n.night, date: n.date, manifest: nightFile(n.night), persons: n.persons, truth_rows: n.truthRows })),
    totals,
  };
  writeFileSync(path.join(folder, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}
