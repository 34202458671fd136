import path from 'node:path';
import type mysql from 'mysql2';
import { writeFile } from 'node:fs/promises';
import type { Batch, ColumnSpec, CsvBatch, ExtractEnd, ExtractJob, Rejection } from '../types.ts';
import { CsvRowChunks, ROW_CSV, type ByteChunk } from '../core/csv-chunks.ts';
import { MAX_RECORD_BYTES } from '../core/read-csv-sql.ts';
import { cursorPlan, windowEnd } from '../core/db/cursor-plan.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { checkReadColumns } from '../core/db/read-columns.ts';
import { columnShapes, rowDecoding, type ColumnShape } from './columns.ts';
import { connectMysql, holdReads, mysqlEndpoint, run } from './connection.ts';
import { translateMysqlError } from './errors.ts';
import {
  mysqlBelowCounts,
  mysqlColumns,
  mysqlMaxCursor,
  mysqlRelation,
  mysqlWindowSelect,
} from './sql.ts';

/**
 * Reads a MySQL/MariaDB table in one consistent snapshot (REPEATABLE READ, START TRANSACTION
 * WITH CONSISTENT SNAPSHOT): the cursor's max, then the window as a streaming query whose rows
 * are written as CSV temp files DuckDB lands while the next fills; then, for delete detection,
 * every key. Values land as the server prints them (text protocol, session time zone UTC).
 */
export async function* extractMysql(job: ExtractJob): AsyncGenerator<Batch, ExtractEnd, void> {
  const { source, table } = job;
  const ctx = { source: source.name, table: table.name, endpoint: mysqlEndpoint(source) };
  const o = dbTableOptions(table.options);
  const relation = mysqlRelation(o, table.name);
  const plan = cursorPlan(job);
  const conn = await connectMysql(source, table.name);
  const stop = () => conn.destroy();
  job.signal?.addEventListener('abort', stop, { once: true });
  let n = 0;
  const nextPath = () => path.join(job.tempDir, `mysql-${++n}.csv`);
  try {
    await run(conn, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await run(conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const fields = await fieldsOf(conn, `SELECT * FROM ${relation} q LIMIT 0`);
    const all = fields.map((f) => f.name);
    const columns = o.columns ?? all;
    checkReadColumns(job, all, columns);
    const shapes = columnShapes(fields);
    const byName = new Map(shapes.map((s) => [s.name.toLowerCase(), s]));
    const picked = columns.map((c) => byName.get(c.toLowerCase())!);
    yield {
      kind: 'schema',
      columns: picked.map((p, i) => ({ name: columns[i]!, type: p.typeName })),
      complete: true,
    };
    const hiRows =
      plan.column === undefined
        ? []
        : await run<{ hi: string | null }[]>(conn, mysqlMaxCursor(relation, plan.column));
    const hi = hiRows[0]?.hi ?? null;
    let below:
      { behind_now: string | number | null; below_next: string | number | null } | undefined;
    if (plan.column !== undefined) {
      const q = mysqlBelowCounts(relation, plan.column, plan, hi);
      below = (await run<(typeof below & object)[]>(conn, q.sql, q.values))[0];
    }
    const specs: ColumnSpec[] = columns.map((name) => ({ name, type: 'VARCHAR' }));
    const batch = (file: string, rejects: readonly Rejection[]): CsvBatch => ({
      kind: 'csv',
      path: file,
      rejects,
      columns: specs,
      skipLines: 0,
      header: false,
      dialect: ROW_CSV,
      locate: { label: `${relation} chunk ${n}`, lineOffset: 0 },
      temp: true,
    });

    const window = mysqlWindowSelect(relation, columns, plan, hi);
    let t0 = performance.now();
    for await (const chunk of rowsToCsv(
      conn,
      window.sql,
      window.values,
      picked,
      nextPath,
      job.batchRows,
      relation,
      job.onRead && ((k) => job.onRead?.(k, 'rows')),
    )) {
      job.logger.debug(
        `${source.name}.${table.name}: read chunk ${n} in ${Math.round(performance.now() - t0)} ms`,
      );
      yield batch(chunk.path, chunk.rejects);
      t0 = performance.now();
    }
    if (table.detectDeletes) {
      const keyShapes = table.primaryKey.map((c) => byName.get(c.toLowerCase())!);
      for await (const chunk of rowsToCsv(
        conn,
        `SELECT ${mysqlColumns(table.primaryKey)} FROM ${relation} q`,
        [],
        keyShapes,
        nextPath,
        Number.MAX_SAFE_INTEGER,
        relation,
      )) {
        yield {
          kind: 'keys',
          path: chunk.path,
          columns: table.primaryKey,
          dialect: ROW_CSV,
          temp: true,
        };
      }
    }
    await run(conn, 'COMMIT');
    // SUM over no rows is NULL: no row below a bound that exists.
    const count = (v: string | number | null | undefined, bound: string | null) =>
      bound === null ? undefined : Number(v ?? 0);
    return windowEnd(plan, hi, specs, {
      behindNow: count(below?.behind_now, plan.from),
      belowNext: count(below?.below_next, hi),
    });
  } catch (err) {
    throw translateMysqlError(err, ctx);
  } finally {
    job.signal?.removeEventListener('abort', stop);
    conn.destroy();
  }
}

/**
 * Streams a query's rows into CSV files of about `chunkRows` rows; yields each finished file.
 * Rows arrive as synchronous `result` events (no promise per row, as an async-iterated stream
 * would cost) and are written out a few hundred at a time; the connection is paused only when
 * the file is full or the disk is behind, so memory stays flat.
 */
async function* rowsToCsv(
  conn: mysql.Connection,
  sql: string,
  values: unknown[],
  shapes: readonly ColumnShape[],
  nextPath: () => string,
  chunkRows: number,
  relation: string,
  onRows?: (n: number) => void,
): AsyncGenerator<ByteChunk, void, void> {
  const out = new CsvRowChunks(
    nextPath,
    chunkRows,
    shapes.map((s) => s.plain),
    { maxRecord: MAX_RECORD_BYTES, locate: (_row, n) => `${relation} row ${n}`, onRows },
  );
  let failure: unknown;
  let ended = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (err: unknown) => {
    failure ??= err;
    signal();
  };
  // A connection lost mid-query is reported on the connection only (an event-style query has no callback to tell).
  conn.on('error', fail);
  const decoding = rowDecoding(shapes);
  const fix = decoding.fix;
  const query = conn.query({
    sql,
    values,
    rowsAsArray: true,
    ...(decoding.typeCast === undefined ? {} : { typeCast: decoding.typeCast }),
  });
  query.on('result', (result) => {
    const row = result as unknown as (string | null)[];
    fix?.(row);
    if (!out.offer(row) && !paused) {
      paused = true;
      holdReads(conn, true);
      signal();
    }
  });
  query.on('error', fail);
  query.on('end', () => {
    ended = true;
    signal();
  });
  try {
    for (;;) {
      if (!paused && !ended && failure === undefined)
        await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined)
        throw failure instanceof Error ? failure : new Error(String(failure));
      const file = await out.drain();
      if (file !== undefined) yield { path: file, rejects: out.takeRejects() };
      if (ended) break;
      paused = false;
      holdReads(conn, false);
    }
    const last = await out.finish();
    const rejects = out.takeRejects();
    if (last !== undefined || rejects.length > 0)
      yield { path: last ?? (await emptyFile(nextPath())), rejects };
  } finally {
    conn.off('error', fail);
    out.destroy();
  }
}

async function emptyFile(p: string): Promise<string> {
  await writeFile(p, '');
  return p;
}

function fieldsOf(conn: mysql.Connection, sql: string): Promise<mysql.FieldPacket[]> {
  return new Promise((resolve, reject) => {
    conn.query(sql, (err, _rows, fields) => (err ? reject(err) : resolve(fields ?? [])));
  });
}
