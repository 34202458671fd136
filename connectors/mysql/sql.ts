import mysql from 'mysql2';
import type { CursorPlan } from '../core/db/cursor-plan.ts';
import type { DbTableOptions } from '../core/db/db-options.ts';

// MySQL text built here is sent to the source, never to the warehouse; values go as `?`.

export function mysqlRelation(o: DbTableOptions, fallbackName: string): string {
  // A query is used as a subquery: a trailing semicolon would end it.
  if (o.query !== undefined) return `(${o.query.trim().replace(/;+\s*$/, '')})`;
  return mysql.escapeId(o.table ?? fallbackName);
}

export function mysqlColumns(columns: readonly string[]): string {
  return columns.map((c) => `q.${mysql.escapeId(c, true)}`).join(', ');
}

export function mysqlMaxCursor(relation: string, column: string): string {
  return `SELECT CAST(MAX(q.${mysql.escapeId(column, true)}) AS CHAR) AS hi FROM ${relation} q`;
}

/**
 * Rows below this window's lower bound (`behind_now`) and below the next load's (`below_next`,
 * from `hi`), in the read's snapshot — see `windowEnd`. NULL where there is no bound.
 */
export function mysqlBelowCounts(
  relation: string,
  column: string,
  plan: CursorPlan,
  hi: string | null,
): { sql: string; values: unknown[] } {
  const c = `q.${mysql.escapeId(column, true)}`;
  const values: unknown[] = [];
  const count = (from: string | null) => {
    if (from === null) return 'NULL';
    if (plan.lookbackSeconds > 0) {
      values.push(from, plan.lookbackSeconds);
      return `SUM(${c} < CAST(? AS DATETIME(6)) - INTERVAL ? SECOND)`;
    }
    values.push(from);
    return `SUM(${c} < ?)`;
  };
  const sql = `SELECT ${count(plan.from)} AS behind_now, ${count(hi)} AS below_next FROM ${relation} q`;
  return { sql, values };
}

/** Rows of `[from - lookback, hi]` plus rows whose cursor is NULL, with their parameters. */
export function mysqlWindowSelect(
  relation: string,
  columns: readonly string[],
  plan: CursorPlan,
  hi: string | null,
): { sql: string; values: unknown[] } {
  const select = `SELECT ${mysqlColumns(columns)} FROM ${relation} q`;
  if (plan.column === undefined) return { sql: select, values: [] };
  const c = `q.${mysql.escapeId(plan.column, true)}`;
  if (hi === null) return { sql: `${select} WHERE ${c} IS NULL`, values: [] };
  if (plan.from === null) return { sql: `${select} WHERE ${c} <= ? OR ${c} IS NULL`, values: [hi] };
  if (plan.lookbackSeconds > 0) {
    return {
      sql: `${select} WHERE (${c} >= CAST(? AS DATETIME(6)) - INTERVAL ? SECOND AND ${c} <= ?) OR ${c} IS NULL`,
      values: [plan.from, plan.lookbackSeconds, hi],
    };
  }
  return {
    sql: `${select} WHERE (${c} >= ? AND ${c} <= ?) OR ${c} IS NULL`,
    values: [plan.from, hi],
  };
}
