import { Cron } from 'croner';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { runPipeline, type RunSummary } from '../pipeline.ts';
import type { PipelineStep } from '../../foundation/step.ts';
import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import { readRows, type Warehouse } from '../../foundation/duckdb-client.ts';
import type { CdwServer } from '../../warehouse/server/server.ts';
import { JobError } from '../errors.ts';
import { noticeOf, notifyRun } from '../notify/notify.ts';

/** Runs the nightly pipeline inside the server, one at a time, readers kept on the old state. */
export class LoadRunner {
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly config: CdwConfig,
    private readonly wh: Warehouse,
    private readonly server: CdwServer,
    private readonly logger: Logger,
    private readonly steps?: readonly PipelineStep[],
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when no run is in progress (a failed run counts as finished). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private noticeContext(trigger: string) {
    return { trigger, warehouse: this.config.warehouse.path };
  }

  /**
   * Runs a write other than a load (an erasure) the way a load runs: never beside a run, readers
   * kept on the state before it until it is done, checkpointed after.
   */
  async write<T>(fn: (wh: Warehouse, config: CdwConfig) => Promise<T>): Promise<T> {
    if (this.running)
      throw new JobError(
        'run_in_progress',
        'a run is in progress in the server; try again when it has finished',
      );
    const p = this.server.runLoad(() => fn(this.wh, this.config));
    this.running = p;
    try {
      return await p;
    } finally {
      this.running = undefined;
      await this.wh
        .run('CHECKPOINT')
        .catch((err: unknown) =>
          this.logger.warn(`checkpoint after the write failed: ${errorMessage(err)}`),
        );
    }
  }

  /** Starts a run; refuses while one is running (no overlap). Notifies as `notify:` says. */
  run(
    trigger: string,
    opts: { fullRefresh?: boolean; select?: readonly string[] } = {},
  ): Promise<RunSummary> {
    if (this.running)
      return Promise.reject(
        new JobError(
          'run_in_progress',
          'a run is already in progress in the server; wait for it to finish',
        ),
      );
    const p = this.server
      .runLoad(() =>
        runPipeline(this.config, {
          warehouse: this.wh,
          trigger,
          fullRefresh: opts.fullRefresh,
          select: opts.select,
          logger: this.logger,
          steps: this.steps,
          checkpointEachStep: false,
        }),
      )
      .then(
        async (summary) => {
          await notifyRun(
            this.config.notify,
            noticeOf({ summary }, this.noticeContext(trigger)),
            this.logger,
          );
          return summary;
        },
        async (err: unknown) => {
          await notifyRun(
            this.config.notify,
            noticeOf({ error: err }, this.noticeContext(trigger)),
            this.logger,
          );
          throw err;
        },
      )
      .finally(async () => {
        this.running = undefined;
        // The per-step checkpoints cannot run while readers hold the old snapshot; do it now.
        await this.wh
          .run('CHECKPOINT')
          .catch((err: unknown) =>
            this.logger.warn(`checkpoint after the run failed: ${errorMessage(err)}`),
          );
      });
    this.running = p;
    return p;
  }
}

/** A schedule of nightly runs (croner), with a missed run caught up at start-up. */
export interface Schedule {
  readonly next: Date | null;
  /** Resolves when the start-up catch-up (if any) is done. */
  readonly caughtUp: Promise<RunSummary | undefined>;
  stop(): void;
}

/**
 * Runs `runner` on the cron schedule in the given time zone. At start-up, if the last scheduled
 * time has passed without a run started since (per meta.runs), runs once now.
 */
export function startSchedule(opts: {
  cron: string;
  timezone: string;
  runner: LoadRunner;
  wh: Warehouse;
  logger: Logger;
  now?: Date;
}): Schedule {
  const { runner, logger } = opts;
  const job = new Cron(opts.cron, { timezone: opts.timezone, protect: true }, async () => {
    if (runner.busy) {
      logger.warn('scheduled run skipped: a run is still in progress');
      return;
    }
    try {
      const s = await runner.run('schedule');
      logger.info(`scheduled run ${s.runId}: ${s.status}`);
    } catch (err) {
      logger.error(`scheduled run failed: ${errorMessage(err)}`);
    }
  });
  const caughtUp = (async () => {
    const due = job.previousRuns(1, opts.now ?? new Date())[0];
    if (!due) return undefined;
    const rows = await readRows<{ last: Date | null }>(
      opts.wh.conn,
      'SELECT max(started_at) AS last FROM meta.runs',
    );
    const last = rows[0]?.last ?? null;
    if (last !== null && last.getTime() >= due.getTime()) return undefined;
    logger.info(`the run due at ${due.toISOString()} was missed; running it now`);
    return runner.run('schedule');
  })();
  return { next: job.nextRun(), caughtUp, stop: () => job.stop() };
}
