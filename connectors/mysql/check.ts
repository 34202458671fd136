import type mysql from 'mysql2';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { CheckResult } from '../types.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { connectMysql, mysqlEndpoint } from './connection.ts';
import { mysqlProblem, translateMysqlError } from './errors.ts';
import { mysqlRelation } from './sql.ts';

/** Connects and reads the columns of every table (LIMIT 0); reports the first problem per table. */
export async function checkMysql(source: ResolvedSource): Promise<CheckResult> {
  let conn: mysql.Connection;
  try {
    conn = await connectMysql(source);
  } catch (err) {
    return {
      ok: false,
      detail: mysqlProblem(err instanceof Error && err.cause !== undefined ? err.cause : err).text,
    };
  }
  try {
    const problems: string[] = [];
    for (const t of source.tables.filter((x) => x.enabled)) {
      try {
        const cols = await columnsOf(conn, t);
        const need = [...t.primaryKey, ...(t.cursor ? [t.cursor.column] : [])].filter(
          (c) => !cols.some((x) => x.toLowerCase() === c.toLowerCase()),
        );
        if (need.length > 0)
          problems.push(`${t.name}: no column ${need.join(', ')} (cursor/primary_key)`);
      } catch (err) {
        problems.push(`${t.name}: ${mysqlProblem(err).text}`);
      }
    }
    return problems.length === 0
      ? {
          ok: true,
          detail: `connected, ${source.tables.length} table${source.tables.length === 1 ? '' : 's'} readable`,
        }
      : { ok: false, detail: problems.join('; ') };
  } finally {
    conn.destroy();
  }
}

export async function mysqlColumns(
  source: ResolvedSource,
  table: ResolvedTable,
): Promise<string[]> {
  const conn = await connectMysql(source, table.name);
  try {
    return await columnsOf(conn, table);
  } catch (err) {
    throw translateMysqlError(err, {
      source: source.name,
      table: table.name,
      endpoint: mysqlEndpoint(source),
    });
  } finally {
    conn.destroy();
  }
}

function columnsOf(conn: mysql.Connection, t: ResolvedTable): Promise<string[]> {
  const sql = `SELECT * FROM ${mysqlRelation(dbTableOptions(t.options), t.name)} q LIMIT 0`;
  return new Promise((resolve, reject) => {
    conn.query(sql, (err, _rows, fields) =>
      err ? reject(err) : resolve((fields ?? []).map((f) => f.name)),
    );
  });
}
