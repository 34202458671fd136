import pg from 'pg';
import mysql from 'mysql2/promise';

export const PG_URL = process.env.CDW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.CDW_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function reachable(fn: () => Promise<void>): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Whether the test PostgreSQL is up. Without it the tests skip with the reason printed —
 * except in CI (CI=true), where a missing server is a failure, not a skip.
 */
export async function postgresAvailable(): Promise<boolean> {
  const why = await reachable(async () => {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
  });
  return decide('PostgreSQL', PG_URL, why);
}

export async function mysqlAvailable(): Promise<boolean> {
  const why = await reachable(async () => {
    const c = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await c.end();
  });
  return decide('MariaDB/MySQL', MYSQL_URL, why);
}

function decide(what: string, url: string, why: string | undefined): boolean {
  if (why === undefined) return true;
  const msg = `${what} at ${url.replace(/\/\/[^@]*@/, '//***@')} is not reachable (${why})`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
  console.warn(
    `SKIP: ${msg}; set CDW_TEST_${what.startsWith('Postgre') ? 'PG' : 'MYSQL'}_URL or start the server`,
  );
  return false;
}
