import { CdwError, SourceError } from '../../foundation/errors.ts';
import { ReadStalledError, stalledText } from '../core/db/read-timeout.ts';
import { endpointText, type Endpoint } from '../core/db/db-options.ts';

export interface MysqlErrorContext {
  readonly source: string;
  readonly table?: string;
  readonly endpoint: Endpoint;
}

const RETRY = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_TOO_MANY_USER_CONNECTIONS',
]);

/**
 * The one place MySQL/MariaDB driver errors become SourceErrors: which source, table and server,
 * what to check, and whether trying again may help. Messages of data errors can quote values
 * and are not repeated.
 */
export function translateMysqlError(err: unknown, ctx: MysqlErrorContext): CdwError {
  if (err instanceof CdwError) return err as CdwError<string>;
  const p = mysqlProblem(err);
  const who = `source ${ctx.source}${ctx.table ? ` table ${ctx.table}` : ''} (${endpointText('mysql', ctx.endpoint)})`;
  return new SourceError(ctx.source, `${who}: ${p.text}`, { retryable: p.retryable, cause: err });
}

/** What went wrong and what to check, without naming the source (callers add that). */
export function mysqlProblem(err: unknown): { text: string; retryable: boolean } {
  const e = err as { code?: string; message?: string; sqlMessage?: string } | undefined;
  const code = e?.code ?? '';
  const msg = (e?.sqlMessage ?? e?.message ?? String(err)).split('\n')[0] ?? '';
  const fail = (text: string, retryable: boolean) => ({ text, retryable });
  if (err instanceof ReadStalledError) return fail(stalledText(err), true);

  switch (code) {
    case 'ECONNREFUSED':
      return fail(
        `cannot connect: connection refused; check that MySQL/MariaDB is running there and connection.host/port in cdw.yaml`,
        true,
      );
    case 'ENOTFOUND':
      return fail(`cannot connect: host not found; check connection.host in cdw.yaml`, false);
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return fail(
        `the server refused the login; check connection.user and password (or the URL) and the user's grants`,
        false,
      );
    case 'ER_BAD_DB_ERROR':
      return fail(`database does not exist; check connection.database (or the URL path)`, false);
    case 'ER_NO_SUCH_TABLE':
      return fail(`${msg}; check table: in cdw.yaml`, false);
    case 'ER_BAD_FIELD_ERROR':
      return fail(`${msg}; check cursor, primary_key and columns: in cdw.yaml`, false);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      return fail(`permission denied; grant SELECT on the table to the configured user`, false);
    case 'ER_PARSE_ERROR':
      return fail(`the query has a syntax error (${msg})`, false);
  }
  if (RETRY.has(code))
    return fail(`connection lost or timed out (${code}); check the network and the server`, true);
  if (
    code.startsWith('ER_TRUNCATED') ||
    code.startsWith('ER_WRONG_VALUE') ||
    code === 'ER_DATA_TOO_LONG'
  ) {
    return fail(
      `data error ${code} reading the table (message withheld: it may quote row values)`,
      false,
    );
  }
  return fail(`${msg}${code ? ` (${code})` : ''}`, false);
}
