import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Warehouse } from '../warehouse/duckdb-client.ts';
import { metaDb, type MetaDatabase } from '../warehouse/kysely/meta-tables.ts';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** What one step (or one source of a step) did, reported as a value. */
export interface StepResult {
  readonly step: string;
  readonly source: string;
  readonly status: StepStatus;
  readonly rowsIn: number | null;
  readonly rowsOut: number | null;
  readonly rowsRejected: number | null;
  readonly seconds: number;
  readonly error: string | null;
}

/** A sortable, readable run id: `r20261123T020000Z-4f2a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `r${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/** The run ledger: `meta.runs` and `meta.run_steps`. */
export class RunLedger {
  private readonly db: Kysely<MetaDatabase>;

  constructor(private readonly wh: Warehouse) {
    this.db = metaDb(wh.conn);
  }

  async startRun(runId: string, trigger: string): Promise<void> {
    await this.db
      .insertInto('meta.runs')
      .values({ run_id: runId, status: 'running', started_at: sql<Date>`current_timestamp`, finished_at: null, trigger, pid: process.pid, host: os.hostname(), message: null })
      .execute();
  }

  async finishRun(runId: string, status: RunStatus, message: string | null = null): Promise<void> {
    await this.db
      .updateTable('meta.runs')
      .set({ status, finished_at: sql<Date>`current_timestamp`, message })
      .where('run_id', '=', runId)
      .execute();
  }

  async startStep(runId: string, step: string, source = ''): Promise<void> {
    await this.db
      .insertInto('meta.run_steps')
      .values({ run_id: runId, step, source, status: 'running', rows_in: null, rows_out: null, rows_rejected: null, started_at: sql<Date>`current_timestamp`, finished_at: null, error: null })
      .execute();
  }

  async finishStep(runId: string, r: Omit<StepResult, 'seconds'>): Promise<void> {
    await this.db
      .updateTable('meta.run_steps')
      .set({
        status: r.status,
        rows_in: r.rowsIn,
        rows_out: r.rowsOut,
        rows_rejected: r.rowsRejected,
        error: r.error,
        finished_at: sql<Date>`current_timestamp`,
      })
      .where('run_id', '=', runId)
      .where('step', '=', r.step)
      .where('source', '=', r.source)
      .execute();
  }

  /** Records a step that did not run (not built yet, or skipped after an earlier failure). */
  async skipStep(runId: string, step: string, reason: string): Promise<void> {
    await this.db
      .insertInto('meta.run_steps')
      .values({ run_id: runId, step, source: '', status: 'skipped', rows_in: null, rows_out: null, rows_rejected: null, started_at: sql<Date>`current_timestamp`, finished_at: sql<Date>`current_timestamp`, error: reason })
      .execute();
  }

  /** Runs left `running` by a process that died are marked failed, so history stays truthful. */
  async closeAbandonedRuns(activeRunId?: string): Promise<number> {
    const rows = await this.db
      .updateTable('meta.runs')
      .set({ status: 'failed', finished_at: sql<Date>`current_timestamp`, message: 'the process running it stopped before it finished' })
      .where('status', '=', 'running')
      .$if(activeRunId !== undefined, (q) => q.where('run_id', '!=', activeRunId!))
      .returning('run_id')
      .execute();
    if (rows.length > 0) {
      await this.db
        .updateTable('meta.run_steps')
        .set({ status: 'failed', finished_at: sql<Date>`current_timestamp`, error: 'interrupted' })
        .where('status', '=', 'running')
        .where('run_id', 'in', rows.map((r) => r.run_id))
        .execute();
    }
    return rows.length;
  }

  async recentRuns(limit: number): Promise<MetaDatabase['meta.runs'][]> {
    return this.db.selectFrom('meta.runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  }

  async steps(runId: string): Promise<MetaDatabase['meta.run_steps'][]> {
    return this.db.selectFrom('meta.run_steps').selectAll().where('run_id', '=', runId).orderBy('started_at').orderBy('step').orderBy('source').execute();
  }

  get warehouse(): Warehouse {
    return this.wh;
  }
}
