import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { runPipeline, type RunSummary } from '../../pipeline.ts';
import { fullRefreshScope } from '../../full-refresh-select.ts';
import { pipelineSteps } from '../../steps.ts';
import { formatTable, touchedText } from '../../../foundation/format-table.ts';
import { callControl } from '../../serve/control.ts';
import { describeHolder, isStale, readLock } from '../../lock.ts';
import { LockError } from '../../../foundation/errors.ts';
import { noticeOf, notifyRun } from '../../notify/notify.ts';
import { endOfDay } from '../../reports/business-date.ts';
import { isoDate } from '../arg-parsers.ts';
import { cliProgress, cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';

export { EXIT };

export function printSummary(io: CliIO, s: RunSummary): void {
  const rows = s.steps.map((r) => [
    r.source ? `  ${r.source}` : r.step,
    r.status,
    r.rowsIn,
    r.rowsOut,
    r.rowsRejected,
    touchedText(r.touched?.count, r.touched?.what),
    Number(r.seconds.toFixed(2)),
    r.status === 'succeeded' ? '' : (r.error ?? ''),
  ]);
  io.out.write(`\nrun ${s.runId}: ${s.status} in ${s.seconds.toFixed(1)}s\n`);
  io.out.write(
    `${formatTable(['step', 'status', 'rows in', 'rows out', 'rejected', 'touched', 'seconds', 'note'], rows)}\n`,
  );
}

export function exitCodeFor(s: RunSummary): number {
  return s.status === 'succeeded' ? EXIT.ok : s.status === 'partial' ? EXIT.partial : EXIT.failed;
}

/** When a cdw server owns the warehouse, it runs the job itself: ask it (see warehouse/server/control.ts). */
async function runThroughServer(
  warehousePath: string,
  trigger: string,
  fullRefresh: boolean,
  select: readonly string[],
): Promise<RunSummary | undefined> {
  const holder = readLock(warehousePath);
  if (!holder || isStale(holder) || holder.holder !== 'server' || !holder.controlUrl)
    return undefined;
  const r = await callControl(holder.controlUrl, 'POST', '/run', { trigger, fullRefresh, select });
  if (r.status !== 200)
    throw new LockError(
      `${describeHolder(warehousePath, holder)}; it refused the run: ${(r.body as { error?: string } | null)?.error ?? r.status}`,
    );
  return r.body as RunSummary;
}

export function registerRun(program: Command, io: CliIO): void {
  program
    .command('run')
    .option('--trigger <name>', 'recorded in meta.runs as what started the run', 'cli')
    .option(
      '--as-of <date>',
      'business date of the marts and reports (default: the day of the latest event in the data)',
      isoDate,
    )
    .option(
      '--full-refresh',
      'recompute every step from raw instead of only what changed since the last run',
    )
    .option(
      '--select <name...>',
      'with --full-refresh: recompute from raw only these steps (transform, identity, profiles, …) or sources (their tables restaged whole); the rest of the run works on what changed',
    )
    .action(
      async (
        opts: { trigger: string; asOf?: string; fullRefresh?: boolean; select?: string[] },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const config = readConfig(io, g);
        const select = (opts.select ?? []).flatMap((n) => n.split(',')).filter((n) => n !== '');
        // said before a server is asked or the warehouse locked
        fullRefreshScope(config, pipelineSteps(), { fullRefresh: opts.fullRefresh, select });
        const viaServer = await runThroughServer(
          config.warehouse.path,
          opts.trigger,
          opts.fullRefresh === true,
          select,
        );
        if (viaServer) {
          printSummary(io, viaServer);
          io.exitCode = exitCodeFor(viaServer);
          return;
        }
        const logger = cliLogger(io, g);
        const ctx = { trigger: opts.trigger, warehouse: config.warehouse.path };
        let summary: RunSummary;
        try {
          summary = await runPipeline(config, {
            trigger: opts.trigger,
            asOf: opts.asOf === undefined ? undefined : endOfDay(opts.asOf),
            fullRefresh: opts.fullRefresh === true,
            select,
            logger,
            progress: cliProgress(io),
          });
        } catch (err) {
          await notifyRun(config.notify, noticeOf({ error: err }, ctx), logger);
          throw err;
        }
        await notifyRun(config.notify, noticeOf({ summary }, ctx), logger);
        printSummary(io, summary);
        io.exitCode = exitCodeFor(summary);
      },
    );
}
