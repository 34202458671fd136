import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { Warehouse } from '../../../foundation/duckdb-client.ts';
import { RunLedger } from '../../../foundation/ledger.ts';
import { readLock, isStale } from '../../lock.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';

export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description('recent runs and their steps')
    .option('--json', 'print JSON instead of tables')
    .option('-n, --runs <n>', 'how many runs to show', (v) => Number.parseInt(v, 10), 5)
    .action(async (opts: { json?: boolean; runs: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      if (!existsSync(config.warehouse.path)) {
        throw new JobError(
          'no_warehouse',
          `no warehouse at ${config.warehouse.path} yet; run "cdw run" first`,
        );
      }
      const holder = readLock(config.warehouse.path);
      const wh = await Warehouse.open(config.warehouse.path, { readOnly: true });
      try {
        const ledger = new RunLedger(wh);
        const runs = await ledger.recentRuns(opts.runs);
        const withSteps = await Promise.all(
          runs.map(async (r) => ({ ...r, steps: await ledger.steps(r.run_id) })),
        );
        if (opts.json) {
          io.out.write(
            `${JSON.stringify({ lock: holder && !isStale(holder) ? holder : null, runs: withSteps }, null, 2)}\n`,
          );
          return;
        }
        if (holder && !isStale(holder))
          io.out.write(
            `lock: held by ${holder.holder} ${holder.runId ?? ''} (pid ${holder.pid}) since ${holder.since}\n\n`,
          );
        if (runs.length === 0) io.out.write('no runs yet\n');
        for (const r of withSteps) {
          io.out.write(
            `run ${r.run_id}  ${r.status}  trigger=${r.trigger}  started ${r.started_at.toISOString()}${r.finished_at ? `  finished ${r.finished_at.toISOString()}` : ''}${r.message ? `  (${r.message})` : ''}\n`,
          );
          const rows = r.steps.map((s) => [
            s.source ? `  ${s.source}` : s.step,
            s.status,
            s.rows_in,
            s.rows_out,
            s.rows_rejected,
            s.finished_at
              ? Number(((s.finished_at.getTime() - s.started_at.getTime()) / 1000).toFixed(2))
              : null,
            s.status === 'succeeded' ? '' : (s.error ?? ''),
          ]);
          io.out.write(
            `${formatTable(['step', 'status', 'rows in', 'rows out', 'rejected', 'seconds', 'note'], rows)}\n\n`,
          );
        }
      } finally {
        wh.close();
      }
    });
}
