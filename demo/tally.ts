/**
 * Counts of the problems and events the demo put into its data, per night and in total, so a
 * reader of the manifest knows what to look for (and how much of it) without reading the code.
 */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    if (n !== 0) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  merge(other: Tally): void {
    for (const [k, v] of other.counts) this.add(k, v);
  }

  /** Sorted by key, so the manifest is byte-stable. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** A deliberately bad row: where it is and what is wrong with it (never its values). */
export interface BadRow {
  readonly location: string;
  /** Line in the file (1-based, the header is line 1) or row key in a database table. */
  readonly at: string;
  readonly reason: string;
}
