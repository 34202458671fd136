import type { Socket } from 'node:net';
import pg from 'pg';
import type { ResolvedSource } from '../../foundation/config-types.ts';
import {
  dbConnection,
  endpointOf,
  type DbConnection,
  type Endpoint,
} from '../core/db/db-options.ts';
import { guardReads } from '../core/db/read-timeout.ts';
import { translatePgError } from './errors.ts';

export const PG_DEFAULT_PORT = 5432;

export function pgEndpoint(source: ResolvedSource): Endpoint {
  return endpointOf(dbConnection(source), { port: PG_DEFAULT_PORT });
}

function clientConfig(c: DbConnection): pg.ClientConfig {
  const cfg: pg.ClientConfig = {
    application_name: 'cdw',
    connectionTimeoutMillis: c.connect_timeout_ms,
    keepAlive: true,
  };
  if (c.url !== undefined) {
    // pg lets a URL win over separate keys; cdw lets the keys win, so they are written into the URL.
    const url = new URL(c.url);
    if (c.host !== undefined) url.hostname = c.host;
    if (c.port !== undefined) url.port = String(c.port);
    if (c.database !== undefined) url.pathname = `/${encodeURIComponent(c.database)}`;
    if (c.user !== undefined) url.username = encodeURIComponent(c.user);
    if (c.password !== undefined) url.password = encodeURIComponent(c.password);
    cfg.connectionString = url.toString();
  } else {
    Object.assign(cfg, {
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      password: c.password,
    });
  }
  if (c.ssl !== undefined) cfg.ssl = c.ssl === 'no-verify' ? { rejectUnauthorized: false } : c.ssl;
  return cfg;
}

/** A connected client for one table's read; errors come out translated. The caller ends it. */
export async function connectPg(source: ResolvedSource, table?: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(dbConnection(source)));
  // A connection dropped while idle must not crash the process; the running query fails instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw translatePgError(err, { source: source.name, table, endpoint: pgEndpoint(source) });
  }
  guardReads(client.connection.stream as Socket, dbConnection(source).read_timeout_ms);
  return client;
}
