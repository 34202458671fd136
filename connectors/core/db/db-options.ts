import { z } from 'zod';
import type { ResolvedSource } from '../../../foundation/config-types.ts';

/** `connection:` keys of a database source: a URL, or its parts (the parts win over the URL). */
export const dbConnectionShape = z.strictObject({
  url: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  /** TLS: true verifies the server certificate; "no-verify" encrypts without verifying. */
  ssl: z.union([z.boolean(), z.literal('no-verify')]).optional(),
  /** Give up connecting after this long (then retried with back-off). */
  connect_timeout_ms: z.number().int().positive().default(10_000),
  /** Fail a read when the server sends nothing for this long (a stalled network); the load is retried. */
  read_timeout_ms: z.number().int().positive().default(600_000),
});

export type DbConnection = z.output<typeof dbConnectionShape>;

/** Table keys of a database source: a table (optionally `schema.table`) or a query, and which columns to land. */
export const dbTableShape = z.strictObject({
  /** Source table, `name` or `schema.name`; defaults to the table's `name`. */
  table: z.string().min(1).optional(),
  /** A SELECT to read instead of a table (the cursor and keys are columns of its result). */
  query: z.string().min(1).optional(),
  /** Columns to land (all when absent): leave out what cdw should never hold. */
  columns: z.array(z.string().min(1)).min(1).optional(),
});

export type DbTableOptions = z.output<typeof dbTableShape>;

export function dbConnection(source: ResolvedSource): DbConnection {
  return dbConnectionShape.parse(source.connection);
}

export function dbTableOptions(options: Readonly<Record<string, unknown>>): DbTableOptions {
  return dbTableShape.parse(options);
}

/** Where a database lives, for messages: `host:port/database` — never the user or password. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

export function endpointOf(c: DbConnection, defaults: { port: number }): Endpoint {
  let url: URL | undefined;
  try {
    url = c.url === undefined ? undefined : new URL(c.url);
  } catch {
    url = undefined;
  }
  return {
    host: c.host ?? (url?.hostname ? decodeURIComponent(url.hostname) : 'localhost'),
    port: c.port ?? (url?.port ? Number(url.port) : defaults.port),
    database:
      c.database ??
      (url && url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : ''),
  };
}

export function endpointText(kind: string, e: Endpoint): string {
  return `${kind} ${e.host}:${e.port}${e.database ? `/${e.database}` : ''}`;
}
