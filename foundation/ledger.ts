import os from 'node:os';
import { listValue } from '@duckdb/node-api';
import type { Queryable } from './duckdb-client.ts';
import type { Touched } from './step.ts';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';
/** `warning`: the unit did its work but something needs attention (its note says what). */
export type StepStatus = 'running' | 'succeeded' | 'warning' | 'failed' | 'skipped';

/** What one step (or one source of a step) did, reported as a value. */
export interface StepResult {
  readonly step: string;
  readonly source: string;
  readonly status: StepStatus;
  readonly rowsIn: number | null;
  readonly rowsOut: number | null;
  readonly rowsRejected: number | null;
  /** What the unit recomputed because it changed (see `Counts.touched`). */
  readonly touched?: Touched;
  readonly seconds: number;
  /** Why it failed or was skipped, or its warnings (`meta.run_steps.error`, shown as the note). */
  readonly error: string | null;
}

/** A sortable, readable run id: `r20261123T020000Z-4f2a`. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `r${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/** A row of `meta.runs`. */
export interface RunRow {
  readonly run_id: string;
  readonly status: string;
  readonly started_at: Date;
  readonly finished_at: Date | null;
  readonly trigger: string;
  readonly pid: number | null;
  readonly host: string | null;
  readonly message: string | null;
}

/** A row of `meta.run_steps`. */
export interface RunStepRow {
  readonly run_id: string;
  readonly step: string;
  readonly source: string;
  readonly status: string;
  readonly rows_in: number | null;
  readonly rows_out: number | null;
  readonly rows_rejected: number | null;
  readonly touched: number | null;
  readonly touched_what: string | null;
  readonly started_at: Date;
  readonly finished_at: Date | null;
  readonly error: string | null;
}

/** The run ledger: `meta.runs` and `meta.run_steps`. */
export class RunLedger {
  constructor(private readonly wh: Queryable) {}

  async startRun(runId: string, trigger: string): Promise<void> {
    await this.wh.run(
      `INSERT INTO meta.runs (run_id, status, started_at, finished_at, trigger, pid, host, message)
       VALUES ($1, 'running', current_timestamp, NULL, $2, $3, $4, NULL)`,
      [runId, trigger, process.pid, os.hostname()],
    );
  }

  async finishRun(runId: string, status: RunStatus, message: string | null = null): Promise<void> {
    await this.wh.run(
      'UPDATE meta.runs SET status = $1, finished_at = current_timestamp, message = $2 WHERE run_id = $3',
      [status, message, runId],
    );
  }

  async startStep(runId: string, step: string, source = ''): Promise<void> {
    await this.wh.run(
      `INSERT INTO meta.run_steps (run_id, step, source, status, rows_in, rows_out, rows_rejected, started_at, finished_at, error)
       VALUES ($1, $2, $3, 'running', NULL, NULL, NULL, current_timestamp, NULL, NULL)`,
      [runId, step, source],
    );
  }

  async finishStep(runId: string, r: Omit<StepResult, 'seconds'>): Promise<void> {
    await this.wh.run(
      `UPDATE meta.run_steps
          SET status = $1, rows_in = $2, rows_out = $3, rows_rejected = $4, error = $5,
              touched = $9, touched_what = $10, finished_at = current_timestamp
        WHERE run_id = $6 AND step = $7 AND source = $8`,
      [
        r.status,
        r.rowsIn,
        r.rowsOut,
        r.rowsRejected,
        r.error,
        runId,
        r.step,
        r.source,
        r.touched?.count ?? null,
        r.touched?.what ?? null,
      ],
    );
  }

  /** Records a step that did not run (not built yet, or skipped after an earlier failure). */
  async skipStep(runId: string, step: string, reason: string): Promise<void> {
    await this.wh.run(
      `INSERT INTO meta.run_steps (run_id, step, source, status, rows_in, rows_out, rows_rejected, started_at, finished_at, error)
       VALUES ($1, $2, '', 'skipped', NULL, NULL, NULL, current_timestamp, current_timestamp, $3)`,
      [runId, step, reason],
    );
  }

  /** Runs left `running` by a process that died are marked failed, so history stays truthful. */
  async closeAbandonedRuns(activeRunId?: string): Promise<number> {
    const rows = await this.wh.all<{ run_id: string }>(
      `UPDATE meta.runs SET status = 'failed', finished_at = current_timestamp,
              message = 'the process running it stopped before it finished'
        WHERE status = 'running' AND run_id IS DISTINCT FROM $1
       RETURNING run_id`,
      [activeRunId ?? null],
    );
    if (rows.length > 0) {
      await this.wh.run(
        `UPDATE meta.run_steps SET status = 'failed', finished_at = current_timestamp, error = 'interrupted'
          WHERE status = 'running' AND list_contains($1::VARCHAR[], run_id)`,
        [listValue(rows.map((r) => r.run_id))],
      );
    }
    return rows.length;
  }

  async recentRuns(limit: number): Promise<RunRow[]> {
    return this.wh.all<RunRow & Record<string, unknown>>(
      'SELECT * FROM meta.runs ORDER BY started_at DESC LIMIT $1',
      [limit],
    );
  }

  async steps(runId: string): Promise<RunStepRow[]> {
    return this.wh.all<RunStepRow & Record<string, unknown>>(
      'SELECT * FROM meta.run_steps WHERE run_id = $1 ORDER BY started_at, step, source',
      [runId],
    );
  }
}
