import { z } from 'zod';
import { didYouMean } from '../../../foundation/did-you-mean.ts';
import type { ResolvedSource } from '../../../foundation/config-types.ts';

/**
 * A connection URL of one of `schemes` (`postgres://…`). The value is never echoed (it may hold
 * a password); the scheme it has is named, with the closest expected one.
 */
function connectionUrl(schemes: readonly string[]) {
  return z
    .string()
    .min(1)
    .superRefine((url, ctx) => {
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
      const expected = schemes.map((x) => `${x}://`).join(' or ');
      if (scheme === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `not a URL; expected ${expected}host:port/database`,
        });
        return;
      }
      if (!schemes.includes(scheme.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          message: `the URL starts ${scheme}://; expected ${expected}${didYouMean(scheme, schemes)}`,
        });
        return;
      }
      try {
        new URL(url);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `not a valid URL (a character in the password or host may need %-encoding); expected ${schemes[0]}://user@host:port/database`,
        });
      }
    });
}

/**
 * `connection:` keys of a database source whose URLs use `schemes`: a URL, or its parts (the
 * parts win over the URL).
 */
export function dbConnectionShape(schemes: readonly string[]) {
  return z.strictObject({
    url: connectionUrl(schemes).optional(),
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
}

export type DbConnection = z.output<ReturnType<typeof dbConnectionShape>>;

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

/** A source's connection keys, with their defaults (the scheme was checked when the config loaded). */
export function dbConnection(source: ResolvedSource): DbConnection {
  return ANY_DB.parse(source.connection);
}

const ANY_DB = dbConnectionShape(['postgres', 'postgresql', 'mysql', 'mariadb']);

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
