import type { CdwConfig } from '../foundation/config-types.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { migrate } from '../foundation/migrate.ts';
import { RunLedger, newRunId, type RunStatus, type StepResult } from '../foundation/ledger.ts';
import { acquireLock, type AcquiredLock } from './lock.ts';
import { errorMessage, SourceError } from '../foundation/errors.ts';
import { translateWarehouseError } from '../foundation/warehouse-errors.ts';
import type { Logger } from '../foundation/logger.ts';
import { silentProgress, type Progress } from '../foundation/progress.ts';
import type { Counts, PipelineStep, StepContext, Touched } from '../foundation/step.ts';
import { pipelineSteps } from './steps.ts';
import { fullRefreshScope, type FullRefreshScope } from './full-refresh-select.ts';

export interface RunOptions {
  readonly trigger: string;
  readonly logger: Logger;
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
  /** Steps to use instead of the standard pipeline (tests, partial runs). */
  readonly steps?: readonly PipelineStep[];
  /** An already open warehouse (the server owns one); otherwise the run opens and locks it. */
  readonly warehouse?: Warehouse;
  /**
   * CHECKPOINT after each step (default). The server turns it off: its readers hold the
   * pre-load snapshot, so a checkpoint cannot run until the load ends (it checkpoints then).
   */
  readonly checkpointEachStep?: boolean;
  /** The business "as of" of the marts (`--as-of`); by default the latest event in the data. */
  readonly asOf?: Date;
  /** Recompute every step from raw (`cdw run --full-refresh`) instead of only what changed. */
  readonly fullRefresh?: boolean;
  /** With `fullRefresh`: recompute only these steps and sources (`--select`); see full-refresh-select.ts. */
  readonly select?: readonly string[];
}

export interface RunSummary {
  readonly runId: string;
  readonly status: RunStatus;
  readonly steps: readonly StepResult[];
  readonly seconds: number;
  readonly tookOverLockFrom?: string;
}

/**
 * The nightly job: takes the warehouse lock, migrates, runs the steps in order and records
 * each in the ledger. A failed unit makes the run `partial`; a step that throws makes it
 * `failed` and the later steps are recorded as skipped.
 */
export async function runPipeline(config: CdwConfig, opts: RunOptions): Promise<RunSummary> {
  const runId = newRunId();
  const started = Date.now();
  const steps = opts.steps ?? pipelineSteps();
  // a bad --select is said before anything is locked or written
  const refresh = fullRefreshScope(config, steps, opts);
  let lock: AcquiredLock | undefined;
  let wh = opts.warehouse;
  const ownsWarehouse = wh === undefined;
  if (ownsWarehouse) lock = acquireLock(config.warehouse.path, { holder: 'run', runId });
  let ledger: RunLedger | undefined;
  try {
    if (lock?.tookOverFrom)
      opts.logger.warn(
        `took over a stale lock left by pid ${lock.tookOverFrom.pid} (run ${lock.tookOverFrom.runId ?? '?'})`,
      );
    wh ??= await Warehouse.open(config.warehouse.path, {
      memoryLimit: config.warehouse.memoryLimit,
      threads: config.warehouse.threads,
      tempDirectory: config.warehouse.tempDirectory,
    });
    const m = await migrate(wh);
    if (m.applied.length > 0)
      opts.logger.info(`warehouse migrated from version ${m.from} to ${m.to}`);
    ledger = new RunLedger(wh);
    await ledger.closeAbandonedRuns();
    await ledger.startRun(runId, opts.trigger);
    opts.logger.info(`run ${runId} started (${opts.trigger})`);

    const results: StepResult[] = [];
    let failed = false;
    for (const step of steps) {
      if (failed) {
        await ledger.skipStep(runId, step.name, 'an earlier step failed');
        results.push(skipped(step.name, 'an earlier step failed'));
        continue;
      }
      if (step.notBuilt !== undefined) {
        await ledger.skipStep(runId, step.name, step.notBuilt);
        results.push(skipped(step.name, step.notBuilt));
        opts.logger.info(`step ${step.name}: skipped, ${step.notBuilt}`);
        continue;
      }
      const r = await runStep(step, { config, wh, runId, ledger, opts, refresh });
      results.push(...r);
      // A checkpoint per step keeps the write-ahead log short, so a run killed later in the
      // night reopens quickly and never replays a step's DDL (see foundation/migrate.ts).
      if (opts.checkpointEachStep !== false)
        await wh
          .run('CHECKPOINT')
          .catch((err: unknown) =>
            opts.logger.warn(`checkpoint after ${step.name} failed: ${errorMessage(err)}`),
          );
      if (r.some((x) => x.status === 'failed' && x.source === '')) failed = true;
    }
    const status: RunStatus = failed
      ? 'failed'
      : results.some((r) => r.status === 'failed' || r.status === 'warning')
        ? 'partial'
        : 'succeeded';
    await ledger.finishRun(runId, status, runMessage(results));
    opts.logger.info(`run ${runId} ${status}`);
    return {
      runId,
      status,
      steps: results,
      seconds: (Date.now() - started) / 1000,
      tookOverLockFrom: lock?.tookOverFrom?.runId,
    };
  } catch (err) {
    // The warehouse itself failed (disk full, damaged, read-only): said by its cause, and the
    // run marked failed when the file still takes a write (else `cdw status` shows it died).
    const known = translateWarehouseError(err, config.warehouse.path);
    await ledger?.finishRun(runId, 'failed', errorMessage(known ?? err)).catch(() => undefined);
    if (known !== undefined) throw known;
    throw err;
  } finally {
    if (ownsWarehouse) wh?.close();
    lock?.release();
  }
}

/**
 * A step's error as recorded: a warehouse failure by its cause (disk full, damaged), else its
 * message. A source's own errors (its files, its server) are never the warehouse's.
 */
function stepErrorText(err: unknown, config: CdwConfig): string {
  if (err instanceof SourceError) return errorMessage(err);
  return errorMessage(translateWarehouseError(err, config.warehouse.path) ?? err);
}

/** `2 steps failed, 1 warning` — what the run's status line says beside `partial`/`failed`. */
function runMessage(results: readonly StepResult[]): string | null {
  const failures = results.filter((r) => r.status === 'failed').length;
  const warnings = results.filter((r) => r.status === 'warning').length;
  const parts = [
    ...(failures > 0 ? [`${failures} step${failures === 1 ? '' : 's'} failed`] : []),
    ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : null;
}

function skipped(step: string, reason: string): StepResult {
  return {
    step,
    source: '',
    status: 'skipped',
    rowsIn: null,
    rowsOut: null,
    rowsRejected: null,
    seconds: 0,
    error: reason,
  };
}

async function runStep(
  step: PipelineStep,
  env: {
    config: CdwConfig;
    wh: Warehouse;
    runId: string;
    ledger: RunLedger;
    opts: RunOptions;
    refresh: FullRefreshScope;
  },
): Promise<StepResult[]> {
  const { ledger, runId, opts } = env;
  const started = Date.now();
  await ledger.startStep(runId, step.name);
  const units: StepResult[] = [];
  const progress = opts.progress ?? silentProgress;
  // Every step shows on the progress line from its start; a step's own tasks replace this one.
  progress.start(step.name);
  const ctx: StepContext = {
    config: env.config,
    wh: env.wh,
    runId,
    logger: opts.logger,
    progress: opts.progress ?? silentProgress,
    signal: opts.signal,
    asOf: opts.asOf,
    fullRefresh: env.refresh.steps.has(step.name),
    fullRefreshSources: [...env.refresh.sources],
    async unit(source, fn) {
      const t0 = Date.now();
      progress.detail?.(source);
      await ledger.startStep(runId, step.name, source);
      let result: StepResult;
      try {
        const { warnings, notes, ...c } = await fn();
        const warned = warnings !== undefined && warnings.length > 0;
        for (const w of warnings ?? []) opts.logger.warn(`step ${step.name} ${source}: ${w}`);
        for (const n of notes ?? []) opts.logger.info(`step ${step.name} ${source}: ${n}`);
        const said = [...(warnings ?? []), ...(notes ?? [])];
        result = {
          step: step.name,
          source,
          status: warned ? 'warning' : 'succeeded',
          ...c,
          seconds: (Date.now() - t0) / 1000,
          error: said.length > 0 ? said.join('; ') : null,
        };
      } catch (err) {
        const msg = stepErrorText(err, env.config);
        opts.logger.error(`step ${step.name} ${source}: ${msg}`);
        result = {
          step: step.name,
          source,
          status: 'failed',
          rowsIn: null,
          rowsOut: null,
          rowsRejected: null,
          seconds: (Date.now() - t0) / 1000,
          error: msg,
        };
      }
      await ledger.finishStep(runId, result);
      units.push(result);
      return result;
    },
  };
  let own: StepResult;
  try {
    const out = await step.run(ctx);
    const {
      warnings,
      notes: _notes,
      ...counts
    }: Counts = Array.isArray(out) ? sumCounts(out) : out;
    const failedUnits = units.filter((u) => u.status === 'failed').length;
    const warnedUnits = units.filter((u) => u.status === 'warning').length;
    for (const w of warnings ?? []) opts.logger.warn(`step ${step.name}: ${w}`);
    const notes = [
      ...(failedUnits > 0 ? [`${failedUnits} of ${units.length} failed`] : []),
      ...(warnedUnits > 0
        ? [`${warnedUnits} of ${units.length} with warning${warnedUnits === 1 ? '' : 's'}`]
        : []),
      ...(warnings ?? []),
    ];
    own = {
      step: step.name,
      source: '',
      status: warnings !== undefined && warnings.length > 0 ? 'warning' : 'succeeded',
      ...counts,
      seconds: (Date.now() - started) / 1000,
      error: notes.length > 0 ? notes.join('; ') : null,
    };
  } catch (err) {
    const msg = stepErrorText(err, env.config);
    opts.logger.error(`step ${step.name} failed: ${msg}`);
    own = {
      step: step.name,
      source: '',
      status: 'failed',
      rowsIn: null,
      rowsOut: null,
      rowsRejected: null,
      seconds: (Date.now() - started) / 1000,
      error: msg,
    };
  }
  await ledger.finishStep(runId, own);
  progress.done(
    own.status === 'failed'
      ? 'failed'
      : units.length > 0
        ? `${units.length} unit${units.length === 1 ? '' : 's'}${own.error ? `, ${own.error}` : ''}`
        : undefined,
  );
  return [own, ...units];
}

function sumCounts(results: readonly StepResult[]): Counts {
  const sum = (k: 'rowsIn' | 'rowsOut' | 'rowsRejected') =>
    results.some((r) => r[k] !== null) ? results.reduce((s, r) => s + (r[k] ?? 0), 0) : null;
  return {
    rowsIn: sum('rowsIn'),
    rowsOut: sum('rowsOut'),
    rowsRejected: sum('rowsRejected'),
    touched: sumTouched(results),
  };
}

/** The units' touched counts added up when they count the same thing; else none for the step. */
function sumTouched(results: readonly StepResult[]): Touched | undefined {
  const said = results.flatMap((r) => (r.touched ? [r.touched] : []));
  const what = new Set(said.map((t) => t.what));
  if (said.length === 0 || what.size !== 1) return undefined;
  return { count: said.reduce((n, t) => n + t.count, 0), what: said[0]!.what };
}
