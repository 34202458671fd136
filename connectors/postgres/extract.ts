import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { SourceError } from '../../foundation/errors.ts';
import type { Batch, ColumnSpec, ExtractEnd, ExtractJob, SourceColumn } from '../types.ts';
import { STANDARD_CSV } from '../core/batch.ts';
import { csvByteChunks } from '../core/csv-chunks.ts';
import { MAX_RECORD_BYTES } from '../core/read-csv-sql.ts';
import { cursorPlan, windowEnd } from '../core/db/cursor-plan.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { checkReadColumns } from '../core/db/read-columns.ts';
import { connectPg, pgEndpoint } from './connection.ts';
import { translatePgError } from './errors.ts';
import {
  copyOut,
  pgBelowCounts,
  pgColumns,
  pgMaxCursor,
  pgRelation,
  pgWindowSelect,
} from './sql.ts';

// COPY output is cut by size, not rows: about this many bytes per batch row (rows of a typical table print in fewer).
const BYTES_PER_BATCH_ROW = 400;
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);

/**
 * Reads a PostgreSQL table in one REPEATABLE READ snapshot: the cursor's max (this load's upper
 * bound), then the window as `COPY … TO STDOUT (FORMAT csv)` streamed into temp files (about
 * `batch_rows` × 400 bytes each) that DuckDB lands while the next is written; then, for delete detection, every key.
 * Values land as PostgreSQL prints them (text, UTC for timestamptz, ISO dates).
 */
export async function* extractPostgres(job: ExtractJob): AsyncGenerator<Batch, ExtractEnd, void> {
  const { source, table } = job;
  const ctx = { source: source.name, table: table.name, endpoint: pgEndpoint(source) };
  const o = dbTableOptions(table.options);
  const relation = pgRelation(o, table.name);
  const plan = cursorPlan(job);
  const client = await connectPg(source, table.name);
  // Closing the socket ends a COPY in flight at once when the load is given up.
  const stop = () => client.connection.stream.destroy();
  job.signal?.addEventListener('abort', stop, { once: true });
  let n = 0;
  const nextPath = () => path.join(job.tempDir, `pg-${++n}.csv`);
  try {
    await client.query(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL TIME ZONE 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'",
    );
    const fields = (await client.query(`SELECT * FROM ${relation} q LIMIT 0`)).fields;
    const all = fields.map((f) => f.name);
    const columns = o.columns ?? all;
    checkReadColumns(job, all, columns);
    if (plan.column !== undefined && plan.lookbackSeconds > 0) {
      const oid = fields.find(
        (f) => f.name.toLowerCase() === plan.column!.toLowerCase(),
      )?.dataTypeID;
      if (oid !== undefined && NUMERIC_OIDS.has(oid))
        throw new SourceError(
          source.name,
          `source ${source.name} table ${table.name}: cursor.lookback needs a timestamp or date cursor; ${plan.column} is numeric`,
        );
    }
    yield { kind: 'schema', columns: await sourceColumns(client, fields, columns), complete: true };
    const hi =
      plan.column === undefined
        ? null
        : ((await client.query<{ hi: string | null }>(pgMaxCursor(relation, plan.column))).rows[0]
            ?.hi ?? null);
    const below =
      plan.column === undefined
        ? undefined
        : (
            await client.query<{ behind_now: string | null; below_next: string | null }>(
              pgBelowCounts(relation, plan.column, plan, hi),
            )
          ).rows[0];
    const specs: ColumnSpec[] = columns.map((name) => ({ name, type: 'VARCHAR' }));

    for await (const chunk of csvByteChunks(
      copyStream(client, copyOut(pgWindowSelect(relation, columns, plan, hi))),
      nextPath,
      job.batchRows * BYTES_PER_BATCH_ROW,
      {
        maxRecord: MAX_RECORD_BYTES,
        label: `${relation} COPY`,
        onBytes: job.onRead && ((n) => job.onRead?.(n, 'bytes')),
      },
    )) {
      yield {
        kind: 'csv',
        path: chunk.path,
        rejects: chunk.rejects,
        columns: specs,
        skipLines: 0,
        header: false,
        dialect: STANDARD_CSV,
        locate: { label: `${relation} copy chunk ${n}`, lineOffset: 0 },
        temp: true,
      };
    }
    if (table.detectDeletes) {
      const keys = nextPath();
      await pipeline(
        copyStream(client, copyOut(`SELECT ${pgColumns(table.primaryKey)} FROM ${relation} q`)),
        createWriteStream(keys),
      );
      yield {
        kind: 'keys',
        path: keys,
        columns: table.primaryKey,
        dialect: STANDARD_CSV,
        temp: true,
      };
    }
    await client.query('COMMIT');
    return windowEnd(plan, hi, specs, {
      behindNow: countOf(below?.behind_now),
      belowNext: countOf(below?.below_next),
    });
  } catch (err) {
    throw translatePgError(err, ctx);
  } finally {
    job.signal?.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}

function countOf(v: string | null | undefined): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

/** The columns read, with PostgreSQL's names of their types (`numeric`, `text`, without modifiers). */
async function sourceColumns(
  client: pg.Client,
  fields: readonly pg.FieldDef[],
  columns: readonly string[],
): Promise<SourceColumn[]> {
  const oids = [...new Set(fields.map((f) => f.dataTypeID))];
  const names = new Map(
    (
      await client.query<{ oid: number; name: string }>(
        'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])',
        [oids],
      )
    ).rows.map((r) => [Number(r.oid), r.name]),
  );
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  return columns.map((name) => {
    const f = byName.get(name.toLowerCase());
    return { name, type: f === undefined ? null : (names.get(f.dataTypeID) ?? null) };
  });
}

function copyStream(client: pg.Client, sql: string): AsyncIterable<Buffer> {
  return client.query(copyTo(sql));
}
