import type { CdwConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import { CdwError, errorMessage } from '../../foundation/errors.ts';
import { eraseCustomer, finishErasures, type PendingErasure } from './erase-customer.ts';

/** What became of one line of an erasure request (an id, or a source record). */
export interface ErasureOutcome {
  readonly request: string;
  readonly erasureId?: string;
  readonly customerId?: number;
  readonly customerIds?: readonly number[];
  readonly rowsByLayer?: Readonly<Record<string, number>>;
  readonly already?: boolean;
  /** why nothing was erased for this request (an unknown id) */
  readonly error?: string;
}

const RECORD = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_]+):(.+)$/;

/** The customer a request names: a customer id, or a source record `source.table:key`. */
async function resolveRequest(wh: Warehouse, request: string): Promise<number | string> {
  if (/^\d{1,18}$/.test(request)) return Number(request);
  const m = RECORD.exec(request);
  if (!m) return `not a customer id or a source record (source.table:key)`;
  const found = (await wh.tableExists('core', 'customer_xref'))
    ? await wh.scalar<number | bigint | null>(
        `SELECT max(customer_id) FROM core.customer_xref
         WHERE source = $1 AND source_table = $2 AND record_key = $3`,
        [m[1]!, m[2]!, m[3]!],
      )
    : null;
  if (found === null || found === undefined) {
    const erased = await wh.scalar<number | bigint | null>(
      `SELECT max(e.customer_id) FROM meta.erased_records r JOIN meta.erasures e USING (erasure_id)
       WHERE r.source = $1 AND r.source_table = $2 AND r.record_key = $3 AND e.lifted_at IS NULL`,
      [m[1]!, m[2]!, m[3]!],
    );
    if (erased !== null && erased !== undefined) return Number(erased);
    return `no source record ${m[1]}.${m[2]} with that key linked to a customer; nothing erased`;
  }
  return Number(found);
}

/** Erases the customer of each request in turn; one unknown id does not stop the others. */
export async function eraseRequests(
  wh: Warehouse,
  config: CdwConfig,
  requests: readonly string[],
  reason: string,
  requestedBy: string,
  logger: Logger,
  opts: { checkpoint?: boolean } = {},
): Promise<ErasureOutcome[]> {
  const out: ErasureOutcome[] = [];
  const pending: PendingErasure[] = [];
  for (const request of requests) {
    const id = await resolveRequest(wh, request);
    if (typeof id === 'string') {
      out.push({ request, error: id });
      continue;
    }
    try {
      const r = await eraseCustomer(wh, config, { customerId: id, reason, requestedBy }, logger, {
        ...opts,
        deferFinish: true,
      });
      // marts and report files are redone once for the whole request
      const rows = { ...r.rowsByLayer };
      if (r.pending) pending.push({ erasureId: r.erasureId, rows });
      out.push({ request, ...r, rowsByLayer: rows });
    } catch (err) {
      if (!(err instanceof CdwError) || err.code !== 'customer_not_found') throw err;
      out.push({ request, error: errorMessage(err) });
    }
  }
  await finishErasures(wh, config, pending, logger, opts);
  return out;
}

export type ErasureLedgerRow = {
  erasure_id: string;
  customer_id: number;
  requested_at: Date;
  requested_by: string;
  status: string;
  reason: string;
  rows_by_layer: string | null;
  lifted_at: Date | null;
};

export async function listErasures(wh: Warehouse): Promise<ErasureLedgerRow[]> {
  return wh.all<ErasureLedgerRow>(
    `SELECT erasure_id, customer_id, requested_at, requested_by, status, reason,
            CAST(rows_by_layer AS VARCHAR) AS rows_by_layer, lifted_at
     FROM meta.erasures ORDER BY requested_at`,
  );
}

/** Lifts an erasure in force; false when there is none by that id. */
export async function liftErasure(
  wh: Warehouse,
  erasureId: string,
  by: string,
  reason: string,
): Promise<boolean> {
  const n = Number(
    await wh.scalar(
      'SELECT count(*) FROM meta.erasures WHERE erasure_id = $1 AND lifted_at IS NULL',
      [erasureId],
    ),
  );
  if (n === 0) return false;
  await wh.run(
    `UPDATE meta.erasures SET lifted_at = current_timestamp, lifted_by = $2, lift_reason = $3
     WHERE erasure_id = $1`,
    [erasureId, by, reason],
  );
  return true;
}
