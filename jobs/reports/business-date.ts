import type { Queryable } from '../../foundation/duckdb-client.ts';

/**
 * The business "as of" of the marts, lists and overview: the end of the business date (UTC
 * day) of the latest event in the data (a transaction, a contact, a web session), never later
 * than now. "Recent" and "open"
 * are measured from it, so a warehouse loaded with last week's extracts answers as of last
 * week, whatever the wall clock says. `cdw run --as-of` and `cdw report … --as-of` override it.
 */
export async function businessAsOf(wh: Queryable, now = new Date()): Promise<Date> {
  const parts: string[] = [];
  for (const [table, column] of [
    ['fact_transactions', 'occurred_at'],
    ['fact_interactions', 'opened_at'],
    ['fact_web_sessions', 'started_at'],
  ] as const) {
    if (await wh.tableExists('core', table))
      parts.push(
        `SELECT max(${column})::TIMESTAMPTZ AS t FROM core.${table} WHERE ${column} <= $1`,
      );
  }
  if (parts.length === 0) return now;
  const latest = await wh.scalar<Date | null>(`SELECT max(t) FROM (${parts.join(' UNION ALL ')})`, [
    now.toISOString(),
  ]);
  if (!(latest instanceof Date)) return now;
  const end = endOfDay(latest.toISOString().slice(0, 10));
  return end.getTime() < now.getTime() ? end : now;
}

/** `--as-of 2026-03-31`: the end of that day (UTC), so the whole day counts. */
export function endOfDay(isoDate: string): Date {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + 86_400_000 - 1);
}

/** The business date (UTC day) of an as-of. */
export function businessDate(asOf: Date): string {
  return asOf.toISOString().slice(0, 10);
}

/** The as-of the last marts build used (marts.run_as_of), if any. */
export async function lastMartsAsOf(wh: Queryable): Promise<Date | undefined> {
  if (!(await wh.tableExists('marts', 'run_as_of'))) return undefined;
  const t = await wh.scalar<Date | null>(
    'SELECT as_of FROM marts.run_as_of ORDER BY computed_at DESC LIMIT 1',
  );
  return t instanceof Date ? t : undefined;
}
