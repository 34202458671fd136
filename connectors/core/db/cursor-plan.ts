import type { ColumnSpec, ExtractEnd, ExtractJob } from '../../types.ts';

/** What an incremental read of a database table covers. */
export interface CursorPlan {
  /** Cursor column; undefined reads everything (full mode, or no cursor configured). */
  readonly column: string | undefined;
  /** Inclusive lower bound: the upper bound of the last committed load; null reads from the start. */
  readonly from: string | null;
  /** Read this much before `from` again, for rows committed late with an older cursor value. */
  readonly lookbackSeconds: number;
  /**
   * Rows the source had below this window's lower bound when the last load committed; more of
   * them now means rows appeared behind the cursor (inserted late, or moved back), which this
   * load does not read. Undefined when unknown (first load, a changed cursor column).
   */
  readonly belowBefore: number | undefined;
}

/** Rows below a window's lower bound: behind this load's window now, and below the next one's. */
export interface BelowCounts {
  /** Rows below this window's lower bound now (undefined on a first load). */
  readonly behindNow: number | undefined;
  /** Rows below the next load's lower bound (`hi` minus the look-back). */
  readonly belowNext: number | undefined;
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
    return { column: undefined, from: null, lookbackSeconds: 0, belowBefore: undefined };
  const stored = job.state.data.cursor_column;
  let from = job.state.cursor;
  if (from !== null && typeof stored === 'string' && stored !== t.cursor.column) {
    job.logger.warn(
      `${job.source.name}.${t.name}: cursor column changed from ${stored} to ${t.cursor.column}; reading from the start (unchanged rows are skipped on landing)`,
    );
    from = null;
  }
  const below = job.state.data.below;
  const sameWindowEnd = job.state.data.lookback_seconds === t.cursor.lookbackSeconds;
  return {
    column: t.cursor.column,
    from,
    lookbackSeconds: t.cursor.lookbackSeconds,
    belowBefore: from !== null && typeof below === 'number' && sameWindowEnd ? below : undefined,
  };
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
  below: BelowCounts = { behindNow: undefined, belowNext: undefined },
): ExtractEnd {
  const behind =
    plan.belowBefore !== undefined && below.behindNow !== undefined
      ? Math.max(0, below.behindNow - plan.belowBefore)
      : undefined;
  // An empty window keeps the old bound, and so the count below it.
  const belowNext = hi === null ? below.behindNow : below.belowNext;
  return {
    cursor: plan.column === undefined ? null : (hi ?? plan.from),
    cursorFrom: plan.from,
    data:
      plan.column === undefined
        ? {}
        : {
            cursor_column: plan.column,
            lookback_seconds: plan.lookbackSeconds,
            ...(belowNext === undefined ? {} : { below: belowNext }),
          },
    columns,
    behindCursor: behind,
  };
}
