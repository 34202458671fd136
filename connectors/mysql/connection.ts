import type { Socket } from 'node:net';
import mysql from 'mysql2';
import type { ResolvedSource } from '../../foundation/config-types.ts';
import { dbConnection, endpointOf, type Endpoint } from '../core/db/db-options.ts';
import { guardReads, type ReadGuard } from '../core/db/read-timeout.ts';
import { translateMysqlError } from './errors.ts';

export const MYSQL_DEFAULT_PORT = 3306;

export function mysqlEndpoint(source: ResolvedSource): Endpoint {
  return endpointOf(dbConnection(source), { port: MYSQL_DEFAULT_PORT });
}

const guards = new WeakMap<mysql.Connection, ReadGuard>();

/** Pauses or resumes a connection's result stream; a paused stream is not a stalled read. */
export function holdReads(conn: mysql.Connection, held: boolean): void {
  if (held) conn.pause();
  guards.get(conn)?.hold(held);
  if (!held) conn.resume();
}

/** A connected (callback-API) connection for one table's read; errors come out translated. The caller ends it. */
export async function connectMysql(
  source: ResolvedSource,
  table?: string,
): Promise<mysql.Connection> {
  const c = dbConnection(source);
  const opts: mysql.ConnectionOptions = {
    connectTimeout: c.connect_timeout_ms,
    // Values are read as the server prints them; the session runs in UTC so TIMESTAMPs print alike everywhere.
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    jsonStrings: true,
    charset: 'utf8mb4',
  };
  if (c.url !== undefined) opts.uri = c.url;
  if (c.host !== undefined) opts.host = c.host;
  if (c.port !== undefined) opts.port = c.port;
  if (c.database !== undefined) opts.database = c.database;
  if (c.user !== undefined) opts.user = c.user;
  if (c.password !== undefined) opts.password = c.password;
  if (c.ssl !== undefined && c.ssl !== false)
    opts.ssl = c.ssl === 'no-verify' ? { rejectUnauthorized: false } : {};
  const conn = mysql.createConnection(opts);
  // A connection dropped while idle must not crash the process; the running query fails instead.
  conn.on('error', () => undefined);
  try {
    await run(conn, "SET time_zone = '+00:00'");
  } catch (err) {
    conn.destroy();
    throw translateMysqlError(err, { source: source.name, table, endpoint: mysqlEndpoint(source) });
  }
  guards.set(conn, guardReads((conn as unknown as { stream: Socket }).stream, c.read_timeout_ms));
  return conn;
}

/** Runs a statement on a callback connection. */
export function run<T = unknown>(
  conn: mysql.Connection,
  sql: string,
  values: unknown[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T)));
  });
}

export function endMysql(conn: mysql.Connection): Promise<void> {
  return new Promise((resolve) => conn.end(() => resolve()));
}
