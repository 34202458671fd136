import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TextFile } from './text-file.ts';
import type { Flushable } from './outputs.ts';

const BUCKETS = 24;

/**
 * Lines of one day written in time order without holding the day in memory: lines go to one
 * temporary file per hour, and at the end each hour is read back, sorted and appended.
 */
export class TimeSortedLog implements Flushable {
  private readonly buckets: TextFile[] = [];
  private readonly tmp: string;

  constructor(
    private readonly target: TextFile,
    tmpDir: string,
    private readonly dayStart: number,
  ) {
    this.tmp = tmpDir;
    mkdirSync(tmpDir, { recursive: true });
    for (let h = 0; h < BUCKETS; h++) this.buckets.push(new TextFile(path.join(tmpDir, `hour-${h}.tmp`)));
  }

  /** A line at second `t` (seconds since 1970) of the day. */
  write(t: number, line: string): void {
    const h = Math.min(BUCKETS - 1, Math.max(0, Math.floor((t - this.dayStart) / 3600)));
    this.buckets[h]!.write(`${t}\t${line}\n`);
  }

  async flushIfNeeded(): Promise<void> {
    for (const b of this.buckets) await b.flushIfNeeded();
  }

  async close(): Promise<void> {
    for (const b of this.buckets) {
      await b.close();
      const entries = readFileSync(b.path, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l, i) => {
          const tab = l.indexOf('\t');
          return { t: Number(l.slice(0, tab)), i, line: l.slice(tab + 1) };
        });
      entries.sort((a, b) => a.t - b.t || a.i - b.i);
      for (const e of entries) this.target.write(`${e.line}\n`);
      await this.target.flushIfNeeded();
    }
    await this.target.close();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
