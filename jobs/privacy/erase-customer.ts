import path from 'node:path';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { CdwConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import { prepareConnection } from '../../transforms/prepare-connection.ts';
import { JobError } from '../errors.ts';
import { buildMarts } from '../reports/build-marts.ts';
import { sourceTablesFromConfig } from '../reports/marts/source-tables.ts';
import { REPORTS, exportReport } from '../reports/report-catalog.ts';
import { writeOverview } from '../reports/html/write-overview.ts';
import { OVERVIEW_FILE } from '../reports/reports-step.ts';
import { buildPersonScope } from './person-scope.ts';
import { eraseLayers, eraseMeta } from './erase-layers.ts';
import { erasePersonRaw, rawTargets } from './erase-raw.ts';
import { HASHED_KINDS, SALT_SQL, hashSql } from './identifier-hash.ts';

export interface ErasureRequest {
  /** any customer id ever issued to the person */
  readonly customerId: number;
  readonly reason: string;
  /** who asked (an OS user, a server user); kept in the ledger */
  readonly requestedBy: string;
}

export interface ErasureResult {
  readonly erasureId: string;
  readonly customerId: number;
  readonly customerIds: readonly number[];
  /** rows changed per layer (raw, staging, identity, core, marts, meta, reports) */
  readonly rowsByLayer: Readonly<Record<string, number>>;
  /** the person had been erased before; this call only finished what was left */
  readonly already: boolean;
  /** marts and report files are left for `finishErasures` (deferFinish) */
  readonly pending: boolean;
}

type LedgerRow = {
  erasure_id: string;
  customer_id: number;
  customer_ids: number[];
  status: string;
  rows_by_layer: string | null;
};

/**
 * Erases one person: every layer of the warehouse in one transaction (a kill -9 before the
 * commit leaves everything as it was; the ledger row commits with the data), then — recorded
 * as `erased` until done — the marts rebuilt from the erased core and the report files of the
 * last run rewritten. A rerun finds an unfinished erasure of the same person and completes it.
 * The caller holds the warehouse lock (or is the server that owns the file).
 */
export async function eraseCustomer(
  wh: Warehouse,
  config: CdwConfig,
  req: ErasureRequest,
  logger: Logger,
  opts: { checkpoint?: boolean; deferFinish?: boolean } = {},
): Promise<ErasureResult> {
  // inside cdw serve, readers hold snapshots: the server checkpoints after the write instead
  const checkpoint = async () => {
    if (opts.checkpoint !== false) await wh.run('CHECKPOINT');
  };
  const finish = async (p: PendingErasure) => {
    if (opts.deferFinish) return true;
    await finishErasures(wh, config, [p], logger, opts);
    return false;
  };
  const current = await currentId(wh, req.customerId);
  const earlier = await wh.all<LedgerRow>(
    `SELECT erasure_id, customer_id, customer_ids, status, CAST(rows_by_layer AS VARCHAR) AS rows_by_layer
     FROM meta.erasures WHERE list_contains(customer_ids, $1::BIGINT) AND lifted_at IS NULL
     ORDER BY requested_at DESC LIMIT 1`,
    [current ?? req.customerId],
  );
  const prior = earlier[0];
  if (current === undefined && prior === undefined)
    throw new JobError(
      'customer_not_found',
      `no customer with id ${req.customerId} (not issued, or not yet through a profiles run); nothing erased`,
    );
  if (prior !== undefined) {
    const rows = JSON.parse(prior.rows_by_layer ?? '{}') as Record<string, number>;
    const pending =
      prior.status !== 'complete' && (await finish({ erasureId: prior.erasure_id, rows }));
    return {
      pending,
      erasureId: prior.erasure_id,
      customerId: Number(prior.customer_id),
      customerIds: prior.customer_ids.map(Number),
      rowsByLayer: rows,
      already: true,
    };
  }
  await prepareConnection(wh);
  const targets = await rawTargets(wh, config);
  const erasureId = `erasure-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const rows = await wh.transaction(async () => {
    await buildPersonScope(wh, current!);
    logger.info(
      `erasure ${erasureId}: erasing customer ${current!} (${Number(await wh.scalar('SELECT count(*) FROM erase_records'))} source records) in every layer`,
    );
    await wh.run(
      `INSERT INTO meta.erased_records
       SELECT DISTINCT $1, source, source_table, record_key, entity FROM erase_records`,
      [erasureId],
    );
    for (const kind of HASHED_KINDS)
      await wh.run(
        `INSERT INTO meta.erased_identifiers
         SELECT DISTINCT $1, '${kind}', ${hashSql(kind, 'value', SALT_SQL)} FROM erase_values
         WHERE kind = '${kind}' AND ${hashSql(kind, 'value', SALT_SQL)} IS NOT NULL`,
        [erasureId],
      );
    const counts: Record<string, number> = { raw: await erasePersonRaw(wh, targets) };
    counts.meta = await eraseMeta(wh);
    Object.assign(counts, await eraseLayers(wh));
    const ids = await wh.all<{ customer_id: number }>(
      'SELECT customer_id FROM erase_ids ORDER BY customer_id',
    );
    await wh.run(
      `INSERT INTO meta.erasures (erasure_id, customer_id, customer_ids, reason, requested_by,
         requested_at, status, rows_by_layer)
       VALUES ($1, $2, CAST($3 AS BIGINT[]), $4, $5, current_timestamp, 'erased', CAST($6 AS JSON))`,
      [
        erasureId,
        current!,
        `[${ids.map((r) => Number(r.customer_id)).join(',')}]`,
        req.reason,
        req.requestedBy,
        JSON.stringify(counts),
      ],
    );
    return { counts, ids: ids.map((r) => Number(r.customer_id)) };
  });
  // a request of many people checkpoints once, after them all (finishErasures)
  if (!opts.deferFinish) await checkpoint();
  logger.info(
    `erasure ${erasureId}: warehouse erased and committed; rebuilding marts and report files`,
  );
  const pending = await finish({ erasureId, rows: rows.counts });
  return {
    pending,
    erasureId,
    customerId: current!,
    customerIds: rows.ids,
    rowsByLayer: rows.counts,
    already: false,
  };
}

/** The surviving id of any id ever issued, or undefined when it was never issued. */
async function currentId(wh: Warehouse, id: number): Promise<number | undefined> {
  if (!(await wh.tableExists('identity', 'id_map'))) return undefined;
  const v = await wh.scalar<number | bigint | null>(
    'SELECT max(current_id) FROM identity.id_map WHERE issued_id = $1',
    [id],
  );
  return v === null || v === undefined ? undefined : Number(v);
}

/** An erasure whose warehouse part is committed and whose marts and files are not yet redone. */
export interface PendingErasure {
  readonly erasureId: string;
  readonly rows: Record<string, number>;
}

/**
 * After the warehouse commit of one or more erasures: the marts rebuilt and the report files of
 * the last run rewritten once for all of them, then each marked complete.
 */
export async function finishErasures(
  wh: Warehouse,
  config: CdwConfig,
  pending: readonly PendingErasure[],
  logger: Logger,
  opts: { checkpoint?: boolean } = {},
): Promise<void> {
  if (pending.length === 0) return;
  const last = await wh.all<{ run_id: string; as_of: Date }>(
    (await wh.tableExists('marts', 'run_as_of'))
      ? 'SELECT run_id, as_of FROM marts.run_as_of ORDER BY computed_at DESC LIMIT 1'
      : 'SELECT NULL AS run_id, NULL AS as_of WHERE false',
  );
  const lastRun = last[0];
  let files: number | undefined;
  if (lastRun !== undefined) {
    await buildMarts(wh, {
      runId: lastRun.run_id,
      asOf: new Date(lastRun.as_of),
      complaintDays: config.reports.complaintDays,
      segments: config.reports.segments,
      sourceTables: sourceTablesFromConfig(config.sources),
    });
    const { dir, formats, html } = config.reports;
    files = 0;
    if (existsSync(dir)) {
      for (const def of REPORTS)
        for (const format of formats) {
          if (!(await wh.tableExists('marts', def.table))) continue;
          await exportReport(wh, def, dir, format);
          files++;
        }
      if (html && existsSync(path.join(dir, OVERVIEW_FILE))) {
        await writeOverview(wh, path.join(dir, OVERVIEW_FILE), new Date(), {
          complaintDays: config.reports.complaintDays,
        });
        files++;
      }
    }
    logger.info(
      `${pending.length} erasure(s): marts rebuilt, ${files} report files rewritten in ${dir}`,
    );
  }
  for (const p of pending) {
    if (files !== undefined) p.rows.reports = files;
    await wh.run(
      `UPDATE meta.erasures SET status = 'complete', completed_at = current_timestamp,
         rows_by_layer = CAST($2 AS JSON) WHERE erasure_id = $1`,
      [p.erasureId, JSON.stringify(p.rows)],
    );
  }
  if (opts.checkpoint !== false) await wh.run('CHECKPOINT');
}
