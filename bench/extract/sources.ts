import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../foundation/sql.ts';

// Bench sources: the same 8 columns everywhere (id, name, email, phone, amount, updated_at, flag, address).

export const PG_TABLE = 'cdwbench_extract_pg';
export const MYSQL_TABLE = 'cdwbench_extract_my';

/** A PostgreSQL table of `rows` rows (kept when it already has them). */
export async function postgresTable(url: string, rows: number): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    const have = await c
      .query<{ n: string }>(`SELECT count(*) AS n FROM ${PG_TABLE}`)
      .catch(() => undefined);
    if (Number(have?.rows[0]?.n ?? -1) === rows) return;
    await c.query(`DROP TABLE IF EXISTS ${PG_TABLE}`);
    await c.query(`CREATE TABLE ${PG_TABLE} AS SELECT g AS id, 'name_' || g AS name, 'user' || g || '@example.com' AS email,
      '+1555' || lpad(g::text, 7, '0') AS phone, (g % 1000)::numeric(10,2) / 10 AS amount,
      timestamptz '2024-01-01' + g * interval '1 second' AS updated_at, g % 7 = 0 AS flag, 'street ' || g || ', town' AS address
      FROM generate_series(1, ${rows}) g`);
    await c.query(`ALTER TABLE ${PG_TABLE} ADD PRIMARY KEY (id)`);
  } finally {
    await c.end();
  }
}

/** A MySQL/MariaDB table of `rows` rows (kept when it already has them). */
export async function mysqlTable(url: string, rows: number): Promise<void> {
  const c = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    const have = await c.query(`SELECT count(*) AS n FROM ${MYSQL_TABLE}`).catch(() => undefined);
    if (Number((have?.[0] as { n: number }[] | undefined)?.[0]?.n ?? -1) === rows) return;
    await c.query(`DROP TABLE IF EXISTS ${MYSQL_TABLE}`);
    await c.query(`CREATE TABLE ${MYSQL_TABLE} (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), phone VARCHAR(30), amount DECIMAL(10,2),
      updated_at DATETIME(3), flag TINYINT(1), address VARCHAR(200)) CHARACTER SET utf8mb4`);
    for (let from = 1; from <= rows; from += 100_000) {
      const to = Math.min(rows, from + 99_999);
      await c.query(`SET SESSION max_recursive_iterations = 200000; INSERT INTO ${MYSQL_TABLE}
        WITH RECURSIVE g(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM g WHERE n < ${to})
        SELECT n, CONCAT('name_', n), CONCAT('user', n, '@example.com'), CONCAT('+1555', LPAD(n, 7, '0')), (n % 1000) / 10,
          TIMESTAMP('2024-01-01') + INTERVAL n SECOND, n % 7 = 0, CONCAT('street ', n, ', town') FROM g`);
    }
  } finally {
    await c.end();
  }
}

export async function dropTables(
  pgUrl: string | undefined,
  mysqlUrl: string | undefined,
): Promise<void> {
  if (pgUrl !== undefined) {
    const c = new pg.Client(pgUrl);
    await c.connect();
    await c.query(`DROP TABLE IF EXISTS ${PG_TABLE}`);
    await c.end();
  }
  if (mysqlUrl !== undefined) {
    const c = await mysql.createConnection({ uri: mysqlUrl });
    await c.query(`DROP TABLE IF EXISTS ${MYSQL_TABLE}`);
    await c.end();
  }
}

/** A CSV file with a header and `rows` rows, written by DuckDB. */
export async function csvFile(file: string, rows: number): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`COPY (SELECT g AS id, 'name_' || g AS name, 'user' || g || '@example.com' AS email, '+1555' || lpad(g::VARCHAR, 7, '0') AS phone,
      round((g % 1000) / 10, 2) AS amount, TIMESTAMP '2024-01-01' + INTERVAL (g) SECOND AS updated_at, g % 7 = 0 AS flag, 'street ' || g || ', town' AS address
      FROM range(1, ${rows + 1}) t(g)) TO ${quoteLiteral(file)} (HEADER)`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** An access log of `rows` lines: combined format plus the Cookie header. */
export async function logFile(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const two = (n: number) => String(n).padStart(2, '0');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2024, 0, 1) + i * 1000);
    const t = `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
    buf += `10.0.${i % 256}.${(i >> 8) % 256} - ${i % 5 === 0 ? `user${i % 777}` : '-'} [${t}] "GET /product/${i % 5000}?utm_source=mail HTTP/1.1" 200 ${1000 + (i % 9000)} "https://example.com/search?q=x${i % 100}" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0" "_vid=v${i % 50_000}; theme=dark"\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

export const LOG_PATTERN =
  '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"';
