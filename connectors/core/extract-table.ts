import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Counts } from '../../foundation/step.ts';
import type { Logger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { CdwError, errorMessage } from '../../foundation/errors.ts';
import type { ConnectorKind } from '../types.ts';
import { Landing, type DedupeKey } from './landing.ts';
import { prefetch } from './prefetch.ts';
import { withRetry } from './retry.ts';
import { commitLoad, failLoad, readTableState, saveTableState, startLoad } from './state-store.ts';
import { makeLoadTempDir, removeTempDir } from './temp-dir.ts';
import { ConnectorError } from '../errors.ts';
import { recordSchemaChanges, SchemaChangedError, SchemaContract } from './schema-contract.ts';

export interface ExtractEnv {
  readonly wh: Warehouse;
  readonly runId: string;
  readonly baseDir: string;
  readonly tempRoot: string;
  readonly batchRows: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxDeleteShare: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Called with the rows of each landed batch (progress inside a large table). */
  readonly onLanded?: (rows: number) => void;
  /** Called as the source is read (rows, or bytes of a byte stream). */
  readonly onRead?: (n: number, unit: 'rows' | 'bytes') => void;
}

/** What one table's load did (the ledger's counts plus what the step log reports). */
export interface TableLoadResult extends Counts {
  readonly loadId: string;
  readonly skipped: number;
  readonly tombstoned: number;
  readonly cursor: string | null;
  /** What needs attention although the load committed. */
  readonly warnings: readonly string[];
}

/** The load id of one table in one run: readable, unique per run. */
export function loadIdFor(runId: string, source: string, table: string): string {
  return `${runId}/${source}.${table}`;
}

/**
 * Extracts one table into `raw.<source>__<table>`. The landing and the new state commit in one
 * DuckDB transaction on a connection of its own: a failure or a kill anywhere leaves the raw
 * table and the state as the last committed load left them, so the next run reads the same
 * rows again and lands each exactly once. Retryable failures are retried from the start.
 */
export async function extractTable(
  env: ExtractEnv,
  kind: ConnectorKind,
  source: ResolvedSource,
  table: ResolvedTable,
): Promise<TableLoadResult> {
  const loadId = loadIdFor(env.runId, source.name, table.name);
  const conn = await env.wh.connect();
  try {
    await startLoad(conn, { loadId, runId: env.runId, source: source.name, table: table.name });
    try {
      return await withRetry(
        (attempt) => attemptLoad(env, conn, kind, source, table, loadId, attempt),
        {
          retries: env.retries,
          delayMs: env.retryDelayMs,
          signal: env.signal,
          onRetry: (n, err, wait) =>
            env.logger.warn(
              `${source.name}.${table.name}: ${errorMessage(err)}; retry ${n} of ${env.retries} in ${(wait / 1000).toFixed(1)}s`,
            ),
        },
      );
    } catch (err) {
      await failLoad(conn, loadId, errorMessage(err)).catch(() => undefined);
      // The changes that stopped the load are reported although nothing of it landed.
      if (err instanceof SchemaChangedError)
        await recordSchemaChanges(
          conn,
          { runId: env.runId, loadId, source: source.name, table: table.name },
          err.changes,
        ).catch(() => undefined);
      throw err;
    }
  } finally {
    conn.closeSync();
  }
}

async function attemptLoad(
  env: ExtractEnv,
  conn: DuckDBConnection,
  kind: ConnectorKind,
  source: ResolvedSource,
  table: ResolvedTable,
  loadId: string,
  attempt: number,
): Promise<TableLoadResult> {
  const state = await readTableState(conn, source.name, table.name);
  const tempDir = await makeLoadTempDir(env.tempRoot);
  const target = { runId: env.runId, loadId, source: source.name, table: table.name };
  const contract = await SchemaContract.open(conn, target, table, env.logger);
  const landing = new Landing(
    conn,
    {
      ...target,
      rawTable: table.rawTable,
      dedupeKey: dedupeKey(kind, table),
      maxDeleteShare: env.maxDeleteShare,
    },
    env.logger,
    contract,
  );
  // Stops the source side (closes its connection, stops reading files) when this attempt fails.
  const stop = new AbortController();
  const signal =
    env.signal === undefined ? stop.signal : AbortSignal.any([env.signal, stop.signal]);
  const gen = prefetch(
    kind.extract({
      source,
      table,
      state,
      baseDir: env.baseDir,
      tempDir,
      batchRows: env.batchRows,
      logger: env.logger,
      signal,
      onRead: env.onRead,
    }),
  );
  await conn.run('BEGIN TRANSACTION');
  try {
    await landing.begin();
    let step = await gen.next();
    while (step.done !== true) {
      throwIfAborted(env.signal, source, table);
      const before = landing.counts.landed;
      await landing.land(step.value).catch((err: unknown) => {
        throw landingError(source, table, err);
      });
      env.onLanded?.(landing.counts.landed - before);
      step = await gen.next();
    }
    const end = step.value;
    throwIfAborted(env.signal, source, table);
    await landing.finish(end.columns);
    const warnings = [
      ...(end.warnings ?? []),
      ...contract.warnings,
      ...landing.warnings,
      ...(end.behindCursor !== undefined && end.behindCursor > 0
        ? [behindCursorText(table, end.behindCursor)]
        : []),
    ];
    await saveTableState(conn, source.name, table.name, end, loadId);
    await commitLoad(conn, loadId, landing.counts, end, warnings);
    await conn.run('COMMIT');
    const c = landing.counts;
    env.logger.info(
      `${source.name}.${table.name}: read ${c.read}, landed ${c.landed}, rejected ${c.rejected}` +
        (c.skipped > 0 ? `, skipped ${c.skipped} already landed` : '') +
        (c.tombstoned > 0 ? `, ${c.tombstoned} deleted in the source` : '') +
        (attempt > 0 ? ` (attempt ${attempt + 1})` : ''),
    );
    return {
      loadId,
      rowsIn: c.read - c.skipped,
      rowsOut: c.landed,
      rowsRejected: c.rejected,
      skipped: c.skipped,
      tombstoned: c.tombstoned,
      cursor: end.cursor,
      warnings,
    };
  } catch (err) {
    stop.abort();
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // The producer may be a batch ahead: it is closed (its finally blocks run) before its temp files go.
    await gen.return(undefined as never).catch(() => undefined);
    await removeTempDir(tempDir);
  }
}

function behindCursorText(table: ResolvedTable, n: number): string {
  const lookback = table.cursor?.lookbackSeconds ?? 0;
  return `${n} row${n === 1 ? '' : 's'} appeared with a cursor (${table.cursor?.column ?? '?'}) older than this load's window (the last load's upper bound${lookback > 0 ? ` minus the ${lookback} s look-back` : ''}) and ${n === 1 ? 'was' : 'were'} not read: widen cursor.lookback, or read the table once with mode: full`;
}

function dedupeKey(kind: ConnectorKind, table: ResolvedTable): DedupeKey {
  if (table.primaryKey.length > 0) return { by: 'key', columns: table.primaryKey };
  return kind.capabilities.rereads ? { by: 'row' } : { by: 'none' };
}

function throwIfAborted(
  signal: AbortSignal | undefined,
  source: ResolvedSource,
  table: ResolvedTable,
): void {
  if (signal?.aborted === true)
    throw new ConnectorError(
      'aborted',
      `${source.name}.${table.name}: extract stopped before it finished; nothing of this load landed`,
    );
}

function landingError(source: ResolvedSource, table: ResolvedTable, err: unknown): unknown {
  if (err instanceof CdwError) return err;
  const msg = errorMessage(err).split('\n')[0];
  return new ConnectorError(
    'landing_failed',
    `${source.name}.${table.name}: landing into raw.${table.rawTable} failed: ${msg}`,
    {
      cause: err,
      retryable: /Transaction conflict|write-write conflict/i.test(msg ?? ''),
    },
  );
}
