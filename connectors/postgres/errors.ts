import { CdwError, SourceError } from '../../foundation/errors.ts';
import { ReadStalledError, stalledText } from '../core/db/read-timeout.ts';
import type { Endpoint } from '../core/db/db-options.ts';
import { endpointText } from '../core/db/db-options.ts';

/** Where an error happened, for its message. */
export interface PgErrorContext {
  readonly source: string;
  readonly table?: string;
  readonly endpoint: Endpoint;
}

const NETWORK_RETRY = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * The one place PostgreSQL driver errors become SourceErrors: which source, table and server,
 * what to check, and whether trying again may help. Driver messages of data errors (class 22)
 * can quote values, so they are not repeated.
 */
export function translatePgError(err: unknown, ctx: PgErrorContext): CdwError {
  if (err instanceof CdwError) return err as CdwError<string>;
  const p = pgProblem(err);
  const who = `source ${ctx.source}${ctx.table ? ` table ${ctx.table}` : ''} (${endpointText('postgres', ctx.endpoint)})`;
  return new SourceError(ctx.source, `${who}: ${p.text}`, { retryable: p.retryable, cause: err });
}

/** What went wrong and what to check, without naming the source (callers add that). */
export function pgProblem(err: unknown): { text: string; retryable: boolean } {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  const msg = (e?.message ?? String(err)).split('\n')[0] ?? '';
  const fail = (text: string, retryable: boolean) => ({ text, retryable });
  if (err instanceof ReadStalledError) return fail(stalledText(err), true);

  if (code === 'ECONNREFUSED')
    return fail(
      `cannot connect: connection refused; check that PostgreSQL is running there and connection.host/port in cdw.yaml`,
      true,
    );
  if (code === 'ENOTFOUND')
    return fail(`cannot connect: host not found; check connection.host in cdw.yaml`, false);
  if (
    NETWORK_RETRY.has(code) ||
    /Connection terminated|timeout expired|terminating connection/i.test(msg)
  ) {
    return fail(
      `connection lost or timed out (${code || msg}); check the network and the server`,
      true,
    );
  }
  switch (code) {
    case '28P01':
    case '28000':
      return fail(
        `the server refused the login; check connection.user and password (or the URL) in cdw.yaml and pg_hba.conf`,
        false,
      );
    case '3D000':
      return fail(`database does not exist; check connection.database (or the URL path)`, false);
    case '42P01':
      return fail(`${msg}; check table: (schema.table) in cdw.yaml`, false);
    case '42703':
      return fail(`${msg}; check cursor, primary_key and columns: in cdw.yaml`, false);
    case '42501':
      return fail(`permission denied; grant SELECT on the table to the configured user`, false);
    case '42601':
      return fail(`the query has a syntax error (${msg})`, false);
    case '42883':
      return fail(`${msg}; a look-back needs a timestamp or date cursor`, false);
    case '53300':
      return fail(`too many connections; lower extract.parallel or raise max_connections`, true);
  }
  if (
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === '40001' ||
    code === '40P01' ||
    code === '57014'
  ) {
    return fail(`${msg} (SQLSTATE ${code})`, true);
  }
  if (code.startsWith('22'))
    return fail(
      `data error SQLSTATE ${code} reading the table (message withheld: it may quote row values)`,
      false,
    );
  return fail(`${msg}${code ? ` (SQLSTATE ${code})` : ''}`, false);
}
