import type { Command } from 'commander';
import { runPipeline, type RunSummary } from '../../pipeline.ts';
import { streamProgress } from '../../progress.ts';
import { formatTable } from '../format-table.ts';
import { cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';

export const EXIT = { ok: 0, failed: 1, partial: 2, locked: 3, usage: 64 } as const;

export function printSummary(io: CliIO, s: RunSummary): void {
  const rows = s.steps.map((r) => [r.source ? `  ${r.source}` : r.step, r.status, r.rowsIn, r.rowsOut, r.rowsRejected, Number(r.seconds.toFixed(2)), r.status === 'succeeded' ? '' : (r.error ?? '')]);
  io.out.write(`\nrun ${s.runId}: ${s.status} in ${s.seconds.toFixed(1)}s\n`);
  io.out.write(`${formatTable(['step', 'status', 'rows in', 'rows out', 'rejected', 'seconds', 'note'], rows)}\n`);
}

export function exitCodeFor(s: RunSummary): number {
  return s.status === 'succeeded' ? EXIT.ok : s.status === 'partial' ? EXIT.partial : EXIT.failed;
}

export function registerRun(program: Command, io: CliIO): void {
  program
    .command('run')
    .description('run the nightly pipeline once: extract → transform → identity → profiles → marts → reports')
    .option('--trigger <name>', 'recorded in meta.runs as what started the run', 'cli')
    .action(async (opts: { trigger: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      const summary = await runPipeline(config, {
        trigger: opts.trigger,
        logger: cliLogger(io, g),
        progress: streamProgress(io.err),
      });
      printSummary(io, summary);
      io.exitCode = exitCodeFor(summary);
    });
}
