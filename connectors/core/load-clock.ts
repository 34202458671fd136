/**
 * `_loaded_at` values for one load: wall-clock time, strictly increasing batch after batch, so
 * "latest version per key by `_loaded_at`" has one answer even between batches of the same load.
 */
export class LoadClock {
  private last = 0;

  /** ISO-8601 UTC timestamp (millisecond precision) later than any given before by this clock. */
  next(now = Date.now()): string {
    this.last = Math.max(now, this.last + 1);
    return new Date(this.last).toISOString();
  }
}
