import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from '../../foundation/logger.ts';

/**
 * Keeps readers on the last committed state while a load runs. Before the load writes
 * anything, `beginLoad` opens a few connections, each in a READ ONLY transaction whose
 * snapshot is taken at once; until `endLoad`, reads go to those connections (DuckDB MVCC
 * keeps the old versions for them), so a query never sees a half-loaded warehouse, even when
 * a step commits in several transactions. Client transactions begun during the load keep the
 * snapshot until they end.
 */
export class SnapshotRouter {
  private current: PinnedSnapshot | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly logger: Logger,
    private readonly poolSize = 4,
  ) {}

  get loading(): boolean {
    return this.current !== undefined;
  }

  /** The snapshot reads should use now, if a load is running. */
  snapshot(): PinnedSnapshot | undefined {
    return this.current;
  }

  async beginLoad(setup: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
    if (this.current) return;
    const conns: DuckDBConnection[] = [];
    for (let i = 0; i < this.poolSize; i++) {
      const c = await this.instance.connect();
      await setup(c);
      await c.run('BEGIN TRANSACTION READ ONLY');
      // DuckDB takes a transaction's snapshot at its first read, so read now.
      await c.run('SELECT count(*) FROM duckdb_tables()');
      conns.push(c);
    }
    this.current = new PinnedSnapshot(conns, this.logger);
  }

  /** New reads see the new state; the old snapshot closes when its last user is done. */
  endLoad(): void {
    const s = this.current;
    this.current = undefined;
    s?.retire();
  }
}

/** A pool of connections pinned to one snapshot, leased one statement (or portal) at a time. */
export class PinnedSnapshot {
  private readonly idle: DuckDBConnection[];
  private readonly waiters: ((c: DuckDBConnection) => void)[] = [];
  private refs = 0;
  private retired = false;
  private closed = false;
  /** search_path currently set on each pooled connection. */
  readonly searchPaths = new Map<DuckDBConnection, string>();

  constructor(
    private readonly conns: DuckDBConnection[],
    private readonly logger: Logger,
  ) {
    this.idle = [...conns];
  }

  /** A client transaction that keeps this snapshot until it ends. */
  hold(): void {
    this.refs++;
  }

  release(): void {
    this.refs--;
    this.maybeClose();
  }

  async lease(): Promise<DuckDBConnection> {
    this.refs++;
    const c = this.idle.pop();
    if (c) return c;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  giveBack(c: DuckDBConnection): void {
    const w = this.waiters.shift();
    if (w) w(c);
    else this.idle.push(c);
    this.refs--;
    this.maybeClose();
  }

  retire(): void {
    this.retired = true;
    this.maybeClose();
  }

  private maybeClose(): void {
    if (!this.retired || this.refs > 0 || this.closed) return;
    this.closed = true;
    for (const c of this.conns) {
      c.run('ROLLBACK')
        .catch(() => undefined)
        .finally(() => c.closeSync());
    }
    this.logger.debug('read snapshot of the previous state closed');
  }
}
