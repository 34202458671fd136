import pg from 'pg';
import type { CursorPlan } from '../core/db/cursor-plan.ts';
import type { DbTableOptions } from '../core/db/db-options.ts';

const { escapeIdentifier, escapeLiteral } = pg;

// PostgreSQL text built here is sent to the source, never to the warehouse. COPY takes no bind
// parameters, so cursor values (read from the source itself) go in as escaped literals.

/** `FROM` target: the query in parentheses, or the (schema-qualified) table. */
export function pgRelation(o: DbTableOptions, fallbackName: string): string {
  // A query is used as a subquery: a trailing semicolon would end it.
  if (o.query !== undefined) return `(${o.query.trim().replace(/;+\s*$/, '')})`;
  return (o.table ?? fallbackName).split('.').map(escapeIdentifier).join('.');
}

export function pgColumns(columns: readonly string[]): string {
  return columns.map((c) => `q.${escapeIdentifier(c)}`).join(', ');
}

/** `max(cursor)` in the read's snapshot: the upper bound of this load. */
export function pgMaxCursor(relation: string, column: string): string {
  return `SELECT max(q.${escapeIdentifier(column)})::text AS hi FROM ${relation} q`;
}

/**
 * Rows of the window `[from - lookback, hi]` plus rows whose cursor is NULL (they have no place
 * in the window and would otherwise never be read).
 */
export function pgWindowSelect(
  relation: string,
  columns: readonly string[],
  plan: CursorPlan,
  hi: string | null,
): string {
  const select = `SELECT ${pgColumns(columns)} FROM ${relation} q`;
  if (plan.column === undefined) return select;
  const c = `q.${escapeIdentifier(plan.column)}`;
  if (hi === null) return `${select} WHERE ${c} IS NULL`;
  const lower =
    plan.from === null ? '' : `${c} >= ${lowerBound(plan.from, plan.lookbackSeconds)} AND `;
  return `${select} WHERE (${lower}${c} <= ${escapeLiteral(hi)}) OR ${c} IS NULL`;
}

/** A window's lower bound: the last upper bound, minus the look-back. */
function lowerBound(from: string, lookbackSeconds: number): string {
  return lookbackSeconds > 0
    ? `(${escapeLiteral(from)}::timestamptz - make_interval(secs => ${lookbackSeconds}))`
    : escapeLiteral(from);
}

/**
 * Rows below this window's lower bound (`behind_now`) and below the next load's (`below_next`,
 * from `hi`), in the read's snapshot: more rows below a bound than the last load counted means
 * rows appeared behind the cursor. NULL where there is no bound.
 */
export function pgBelowCounts(
  relation: string,
  column: string,
  plan: CursorPlan,
  hi: string | null,
): string {
  const c = `q.${escapeIdentifier(column)}`;
  const count = (from: string | null) =>
    from === null
      ? 'NULL::bigint'
      : `count(*) FILTER (WHERE ${c} < ${lowerBound(from, plan.lookbackSeconds)})`;
  return `SELECT ${count(plan.from)} AS behind_now, ${count(hi)} AS below_next FROM ${relation} q`;
}

export function copyOut(select: string): string {
  return `COPY (${select}) TO STDOUT (FORMAT csv)`;
}
