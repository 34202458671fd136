import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** The transaction statements a session runs on its own connection. */
export type TransactionCall =
  'BEGIN TRANSACTION READ ONLY' | 'BEGIN TRANSACTION' | 'COMMIT' | 'ROLLBACK';

/**
 * BEGIN, COMMIT and ROLLBACK on one connection as DuckDB prepared statements, each prepared on
 * first use and kept for the connection's life. An analyst's every statement runs in its own
 * READ ONLY transaction, so two of these run per statement: as SQL text each was parsed and
 * planned again (about half of their cost). They name no table, so no write makes them stale
 * (unlike the statements of `WriteClock`).
 */
export class TransactionCalls {
  private readonly prepared = new Map<TransactionCall, Promise<DuckDBPreparedStatement>>();

  constructor(private readonly conn: DuckDBConnection) {}

  async run(call: TransactionCall): Promise<void> {
    let p = this.prepared.get(call);
    if (!p) {
      p = this.conn.prepare(call);
      this.prepared.set(call, p);
      // A failed prepare is tried again next time rather than kept.
      p.catch(() => this.prepared.delete(call));
    }
    await (await p).run();
  }

  /** Destroys the prepared statements (before the connection closes). */
  async close(): Promise<void> {
    const all = [...this.prepared.values()];
    this.prepared.clear();
    for (const p of await Promise.allSettled(all))
      if (p.status === 'fulfilled') p.value.destroySync();
  }
}
