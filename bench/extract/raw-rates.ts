import { spawnSync } from 'node:child_process';
import mysql from 'mysql2';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../foundation/sql.ts';
import { MYSQL_TABLE, PG_TABLE } from './sources.ts';

/** Seconds `psql \copy (SELECT * FROM t) TO /dev/null` takes; undefined without psql. */
export function psqlCopySeconds(url: string): number | undefined {
  const t0 = performance.now();
  const r = spawnSync(
    'psql',
    [url, '-q', '-c', `\\copy (SELECT * FROM ${PG_TABLE}) TO '/dev/null' (FORMAT csv)`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (r.error !== undefined || r.status !== 0) return undefined;
  return (performance.now() - t0) / 1000;
}

/** Seconds a count-only mysql2 stream of the table takes (rows decoded, then dropped). */
export function mysqlCountSeconds(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = mysql.createConnection({ uri: url });
    const t0 = performance.now();
    let n = 0;
    c.query(`SELECT * FROM ${MYSQL_TABLE}`)
      .on('result', () => void n++)
      .on('error', reject)
      .on('end', () => {
        c.end();
        resolve((performance.now() - t0) / 1000);
      });
  });
}

/** Seconds DuckDB's own `read_csv` takes to count a file's rows (a log: its lines, as one column). */
export async function duckdbCountSeconds(file: string, asLines: boolean): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const opts = asLines ? `, ${LINES_AS_ONE_COLUMN}` : '';
    const t0 = performance.now();
    await c.runAndReadAll(`SELECT count(*) FROM read_csv(${quoteLiteral(file)}${opts})`);
    return (performance.now() - t0) / 1000;
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Read options that take each line of a file whole, as one VARCHAR column. */
export const LINES_AS_ONE_COLUMN = `header = false, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', auto_detect = false`;

/**
 * Seconds DuckDB itself takes to land a CSV file into a new table of a fresh database file (all
 * columns VARCHAR; a log: its lines, as one column): the floor for any landing of the same rows,
 * whatever the source. CPU seconds are this process's (DuckDB's threads included) over the load.
 */
export async function duckdbLoadSeconds(
  file: string,
  dbFile: string,
  memoryLimit: string,
  asLines = false,
): Promise<number> {
  return (await duckdbLoad(file, dbFile, memoryLimit, asLines)).seconds;
}

export async function duckdbLoad(
  file: string,
  dbFile: string,
  memoryLimit: string,
  asLines: boolean,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const db = await DuckDBInstance.create(dbFile, { memory_limit: memoryLimit });
  const c = await db.connect();
  try {
    const opts = asLines ? LINES_AS_ONE_COLUMN : 'all_varchar = true';
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv(${quoteLiteral(file)}, ${opts})`);
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
