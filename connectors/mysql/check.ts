import type mysql from 'mysql2';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { CheckResult } from '../types.ts';
import { checkDbSource } from '../core/db/check-db.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { connectMysql, mysqlEndpoint } from './connection.ts';
import { mysqlProblem, translateMysqlError } from './errors.ts';
import { mysqlRelation } from './sql.ts';

/** Connects and reads the columns of every table (LIMIT 0); the shared loop is `checkDbSource`. */
export function checkMysql(source: ResolvedSource): Promise<CheckResult> {
  return checkDbSource<mysql.Connection>(source, {
    connect: (s) => connectMysql(s),
    columnsOf,
    problem: (err) => mysqlProblem(err).text,
    close: (c) => {
      c.destroy();
      return Promise.resolve();
    },
  });
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
  const o = dbTableOptions(t.options);
  const sql = `SELECT * FROM ${mysqlRelation(o, t.name)} q LIMIT 0`;
  return new Promise((resolve, reject) => {
    conn.query(sql, (err, _rows, fields) => {
      if (err) {
        reject(err);
        return;
      }
      const all = (fields ?? []).map((f) => f.name);
      resolve(
        o.columns === undefined
          ? all
          : all.filter((c) => o.columns!.some((x) => x.toLowerCase() === c.toLowerCase())),
      );
    });
  });
}
