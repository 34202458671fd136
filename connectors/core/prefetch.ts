/**
 * Runs a generator one item ahead of its consumer: while the consumer lands batch N, the
 * source already writes batch N+1 (DuckDB works on its own threads, so the two overlap).
 * Keeps the generator's return value; closes the generator when the consumer stops early.
 */
export async function* prefetch<T, R>(gen: AsyncGenerator<T, R, void>): AsyncGenerator<T, R, void> {
  let pending = gen.next();
  // A failure of the item produced ahead surfaces when it is awaited, not as an unhandled rejection.
  pending.catch(() => undefined);
  try {
    for (;;) {
      const r = await pending;
      if (r.done === true) return r.value;
      pending = gen.next();
      pending.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await gen.return(undefined as R).catch(() => undefined);
  }
}
