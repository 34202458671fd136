import type { Queryable, Row, SqlParam } from '../../foundation/duckdb-client.ts';
import { callControl } from './control.ts';
import { decodeValue, type WireResult } from './wire-values.ts';
import { JobError } from '../errors.ts';

/**
 * The warehouse read through the control endpoint of the `cdw serve` that owns it: each
 * statement runs in the server in a read-only transaction on the last committed state.
 * Used by the read commands while DuckDB's one-writer rule keeps the file closed to them.
 */
export class RemoteWarehouse implements Queryable {
  /** `path`: where statements go — `/query` (each alone) or a read session's `/sessions/<id>/query`. */
  constructor(
    readonly controlUrl: string,
    private readonly path = '/query',
  ) {}

  /**
   * A read session in the server: every statement sees the same snapshot and temp tables live
   * until `endSession` (for commands that build temp tables or read several times).
   */
  static async session(controlUrl: string): Promise<RemoteWarehouse> {
    const r = await callControl(controlUrl, 'POST', '/sessions', {});
    const body = r.body as { id?: string; error?: string } | null;
    if (r.status !== 200 || typeof body?.id !== 'string')
      throw new JobError('server_query', body?.error ?? `the server answered ${r.status}`);
    return new RemoteWarehouse(controlUrl, `/sessions/${body.id}/query`);
  }

  /** Ends the read session (a no-op for a warehouse read statement by statement). */
  async endSession(): Promise<void> {
    if (this.path === '/query') return;
    await callControl(this.controlUrl, 'DELETE', this.path.replace(/\/query$/, '')).catch(
      () => undefined, // the server closes idle sessions itself
    );
  }

  /** One statement; `signal` cancels it (the server interrupts the query). */
  async query(
    sql: string,
    params?: readonly SqlParam[],
    signal?: AbortSignal,
  ): Promise<WireResult> {
    const r = await callControl(
      this.controlUrl,
      'POST',
      this.path,
      { sql, params: params === undefined ? undefined : [...params].map(plainParam) },
      signal,
    );
    const body = r.body as (WireResult & { error?: string }) | null;
    if (r.status !== 200 || body === null)
      throw new JobError('server_query', body?.error ?? `the server answered ${r.status}`);
    return { ...body, rows: body.rows.map((row) => row.map(decodeValue)) };
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<void> {
    await this.query(sql, params);
  }

  async all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const r = await this.query(sql, params);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])) as T);
  }

  async one<T extends Row = Row>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: readonly SqlParam[]): Promise<T> {
    const r = await this.query(sql, params);
    return r.rows[0]?.[0] as T;
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const n = await this.scalar(
      'SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    return Number(n) > 0;
  }
}

function plainParam(p: SqlParam): unknown {
  if (typeof p === 'bigint') return Number(p);
  if (p instanceof Date) return p.toISOString();
  if (p === null || ['string', 'number', 'boolean'].includes(typeof p)) return p;
  throw new JobError('server_query', 'only plain values can be sent to the server as parameters');
}
