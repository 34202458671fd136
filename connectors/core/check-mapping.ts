import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedTable } from '../../foundation/config-types.ts';
import { didYouMean } from '../../foundation/did-you-mean.ts';
import type { CheckProblem } from '../types.ts';
import { mappedColumns } from './mapped-columns.ts';

const LISTED = 25;

/** A DuckDB connection of its own (in memory) to parse mapping expressions with, for `fn` only. */
export async function withSqlParser<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Every column the table's config names (a mapping's column or the columns of its expression,
 * the primary key, the cursor) that is not among `columns`, as a problem at the config key
 * that names it — so `cdw check` catches a mapping the source cannot fill before a night does.
 */
export async function mappingProblems(
  conn: DuckDBConnection,
  table: ResolvedTable,
  columns: readonly string[],
  where: string,
): Promise<CheckProblem[]> {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const list = `${columns.slice(0, LISTED).join(', ')}${columns.length > LISTED ? `, … (${columns.length} in all)` : ''}`;
  const out: CheckProblem[] = [];
  for (const m of await mappedColumns(conn, table)) {
    if (have.has(m.name.toLowerCase())) continue;
    for (const key of m.keys)
      out.push({
        table: table.name,
        key,
        message: `column ${m.name} is not in ${where}${didYouMean(m.name, columns)} (it has ${list})`,
      });
  }
  return out;
}
