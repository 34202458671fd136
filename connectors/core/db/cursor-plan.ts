import type { ColumnSpec, ExtractEnd, ExtractJob } from '../../types.ts';

/** What an incremental read of a database table covers. */
export interface CursorPlan {
  /** Cursor column; undefined reads everything (full mode, or no cursor configured). */
  readonly column: string | undefined;
  /** Inclusive lower bound: the upper bound of the last committed load; null reads from the start. */
  readonly from: string | null;
  /** Read this much before `from` again, for rows committed late with an older cursor value. */
  readonly lookbackSeconds: number;
}

/**
 * The read window of a table from its state. The window is inclusive at `from` (rows sharing the
 * boundary value are read again and skipped on landing when unchanged) and its upper bound is
 * the source's max cursor read in the same snapshot as the rows. A cursor column changed in the
 * config starts over from the beginning.
 */
export function cursorPlan(job: ExtractJob): CursorPlan {
  const t = job.table;
  if (t.mode === 'full' || t.cursor === undefined)
    return { column: undefined, from: null, lookbackSeconds: 0 };
  const stored = job.state.data.cursor_column;
  let from = job.state.cursor;
  if (from !== null && typeof stored === 'string' && stored !== t.cursor.column) {
    job.logger.warn(
      `${job.source.name}.${t.name}: cursor column changed from ${stored} to ${t.cursor.column}; reading from the start (unchanged rows are skipped on landing)`,
    );
    from = null;
  }
  return { column: t.cursor.column, from, lookbackSeconds: t.cursor.lookbackSeconds };
}

/**
 * What a database read of `plan` commits with its load: the cursor's max read in the snapshot
 * (`hi`; the old bound when the window was empty) and the cursor column it belongs to (a
 * changed column starts over, see `cursorPlan`).
 */
export function windowEnd(
  plan: CursorPlan,
  hi: string | null,
  columns: readonly ColumnSpec[],
): ExtractEnd {
  return {
    cursor: plan.column === undefined ? null : (hi ?? plan.from),
    cursorFrom: plan.from,
    data: plan.column === undefined ? {} : { cursor_column: plan.column },
    columns,
  };
}
