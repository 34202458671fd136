import type { ResolvedSource } from '../../foundation/config-types.ts';
import type { DiscoveredTable } from '../types.ts';
import { connectMysql, mysqlEndpoint, run } from './connection.ts';
import { translateMysqlError } from './errors.ts';

/** The tables and views of the connection's database, with columns and primary keys. */
export async function listMysqlTables(source: ResolvedSource): Promise<DiscoveredTable[]> {
  const conn = await connectMysql(source);
  try {
    const cols = await run<{ t: string; c: string; k: string }[]>(
      conn,
      `SELECT table_name AS t, column_name AS c, column_key AS k FROM information_schema.columns
       WHERE table_schema = database() ORDER BY table_name, ordinal_position`,
    );
    const tables = [...new Set(cols.map((r) => r.t))];
    return tables.map((t) => ({
      name: t,
      columns: cols.filter((r) => r.t === t).map((r) => r.c),
      primaryKey: cols.filter((r) => r.t === t && r.k === 'PRI').map((r) => r.c),
    }));
  } catch (err) {
    throw translateMysqlError(err, { source: source.name, endpoint: mysqlEndpoint(source) });
  } finally {
    conn.destroy();
  }
}
