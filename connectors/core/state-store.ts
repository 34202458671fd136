import type { DuckDBConnection } from '@duckdb/node-api';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { TableState } from '../types.ts';
import type { ExtractEnd } from './batch.ts';
import type { LandingCounts } from './landing.ts';

/** The state the last committed load of a table left (`meta.source_state`); empty before the first. */
export async function readTableState(
  conn: DuckDBConnection,
  source: string,
  table: string,
): Promise<TableState> {
  const rows = await readRows<{ cursor_value: string | null; state: string | null }>(
    conn,
    'SELECT cursor_value, state::VARCHAR AS state FROM meta.source_state WHERE source = $1 AND source_table = $2',
    [source, table],
  );
  const r = rows[0];
  if (r === undefined) return { cursor: null, data: {} };
  const data = r.state === null ? {} : (JSON.parse(r.state) as Record<string, unknown>);
  return { cursor: r.cursor_value, data };
}

/** Stores the state a load ends with; called inside the load's transaction so both commit together. */
export async function saveTableState(
  conn: DuckDBConnection,
  source: string,
  table: string,
  end: ExtractEnd,
  loadId: string,
): Promise<void> {
  await conn.run(
    `INSERT INTO meta.source_state (source, source_table, cursor_value, state, load_id, updated_at)
     VALUES ($1, $2, $3, $4::JSON, $5, current_timestamp)
     ON CONFLICT (source, source_table) DO UPDATE SET
       cursor_value = excluded.cursor_value, state = excluded.state, load_id = excluded.load_id, updated_at = excluded.updated_at`,
    [source, table, end.cursor, JSON.stringify(end.data), loadId],
  );
}

/** Records that a load started (outside its transaction, so a load that dies is still on record). */
export async function startLoad(
  conn: DuckDBConnection,
  l: { loadId: string; runId: string; source: string; table: string },
): Promise<void> {
  await conn.run(
    `INSERT INTO meta.loads (load_id, run_id, source, source_table, status, started_at) VALUES ($1, $2, $3, $4, 'started', current_timestamp)`,
    [l.loadId, l.runId, l.source, l.table],
  );
}

/** Marks the load committed with its counts — inside the load's transaction. */
export async function commitLoad(
  conn: DuckDBConnection,
  loadId: string,
  c: LandingCounts,
  end: ExtractEnd,
  warnings: readonly string[] = [],
): Promise<void> {
  await conn.run(
    `UPDATE meta.loads SET status = 'committed', finished_at = current_timestamp, rows_read = $2, rows_landed = $3,
       rows_skipped = $4, rows_rejected = $5, rows_tombstoned = $6, cursor_from = $7, cursor_to = $8, error = NULL,
       rows_behind_cursor = $9, warnings = $10
     WHERE load_id = $1`,
    [
      loadId,
      c.read,
      c.landed,
      c.skipped,
      c.rejected,
      c.tombstoned,
      end.cursorFrom ?? null,
      end.cursor,
      end.behindCursor ?? null,
      warnings.length > 0 ? warnings.join('; ') : null,
    ],
  );
}

export async function failLoad(
  conn: DuckDBConnection,
  loadId: string,
  error: string,
): Promise<void> {
  await conn.run(
    `UPDATE meta.loads SET status = 'failed', finished_at = current_timestamp, error = $2 WHERE load_id = $1`,
    [loadId, error],
  );
}

/** Loads left `started` by a process that died are marked failed: nothing of them landed (their transaction never committed). */
export async function closeAbandonedLoads(conn: DuckDBConnection, runId: string): Promise<number> {
  const r = await conn.run(
    `UPDATE meta.loads SET status = 'failed', finished_at = current_timestamp, error = 'interrupted: the process stopped before the load committed; nothing of it landed'
     WHERE status = 'started' AND run_id <> $1`,
    [runId],
  );
  return Number(r.rowsChanged);
}
