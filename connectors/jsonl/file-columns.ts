import { readBytes } from '../core/files/byte-ranges.ts';
import { statSync } from 'node:fs';

/** The top-level keys of the first JSON line of a file (for `cdw init`). */
export async function jsonlFileColumns(file: string): Promise<string[]> {
  const head = (await readBytes(file, 0, Math.min(statSync(file).size, 1 << 20))).toString('utf8');
  for (const line of head.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    } catch {
      return [];
    }
  }
  return [];
}
