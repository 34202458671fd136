/** Something that buffers output and must be flushed now and then and closed at the end. */
export interface Flushable {
  /** Writes buffered output when enough has gathered. */
  flushIfNeeded(): Promise<void>;
  /** Writes everything left and releases the file or connection. */
  close(): Promise<void>;
}

/**
 * The open outputs of one night. Generation is synchronous per person; every few hundred
 * persons the generator awaits `drain()`, which keeps memory flat however large the company.
 */
export class Outputs {
  private readonly open: Flushable[] = [];

  add<T extends Flushable>(f: T): T {
    this.open.push(f);
    return f;
  }

  async drain(): Promise<void> {
    for (const f of this.open) await f.flushIfNeeded();
  }

  async close(): Promise<void> {
    let first: unknown;
    for (const f of this.open.splice(0)) {
      try {
        await f.close();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first instanceof Error ? first : new Error(String(first));
  }
}
