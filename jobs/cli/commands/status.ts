import type { Command } from 'commander';
import { RunLedger, type RunRow } from '../../../foundation/ledger.ts';
import { readLock, isStale, type LockHolder } from '../../lock.ts';
import { formatTable, touchedText } from '../../../foundation/format-table.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { openForReading } from '../read-access.ts';
import { wholeNumber } from '../arg-parsers.ts';
import { schemaChangesOf, schemaChangeLine } from '../../../connectors/core/schema-report.ts';

/**
 * What a run's status is now: a run recorded `running` is running only while a live process
 * holds the warehouse lock for it (a run holds it throughout; a server holds it for the runs
 * it makes). A run whose process is gone (killed, out of memory, the machine rebooted) or that
 * ended without being able to write its end (a full disk) is `died` — told at once by the lock
 * and the process id, not only when the next run takes the lock over.
 */
export function liveStatus(run: RunRow, holder: LockHolder | undefined): string {
  if (run.status !== 'running') return run.status;
  const held =
    holder !== undefined &&
    !isStale(holder) &&
    holder.pid === run.pid &&
    holder.host === run.host &&
    (holder.runId === undefined || holder.runId === run.run_id);
  return held ? 'running' : 'died';
}

export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .option('--json', 'print JSON instead of tables')
    .option('-n, --runs <n>', 'how many runs to show', wholeNumber(1, 10_000), 5)
    .action(async (opts: { json?: boolean; runs: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      const holder = readLock(config.warehouse.path);
      const access = (await openForReading(config.warehouse.path))!;
      const wh = access.wh;
      try {
        const ledger = new RunLedger(wh);
        const runs = await ledger.recentRuns(opts.runs);
        const withSteps = await Promise.all(
          runs.map(async (r) => ({
            ...r,
            status: liveStatus(r, holder),
            recorded_status: r.status,
            steps: await ledger.steps(r.run_id),
            schema_changes: await schemaChangesOf(wh, r.run_id),
          })),
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
          const died =
            r.status === 'died'
              ? `  (process ${r.pid ?? '?'} on ${r.host ?? '?'} is gone; nothing of an unfinished load landed, the next run reads it again)`
              : '';
          io.out.write(
            `run ${r.run_id}  ${r.status}  trigger=${r.trigger}  started ${r.started_at.toISOString()}${r.finished_at ? `  finished ${r.finished_at.toISOString()}` : ''}${r.message ? `  (${r.message})` : ''}${died}\n`,
          );
          const rows = r.steps.map((s) => [
            s.source ? `  ${s.source}` : s.step,
            s.status === 'running' && r.status === 'died' ? 'died' : s.status,
            s.rows_in,
            s.rows_out,
            s.rows_rejected,
            touchedText(s.touched, s.touched_what),
            s.finished_at
              ? Number(((s.finished_at.getTime() - s.started_at.getTime()) / 1000).toFixed(2))
              : null,
            s.status === 'succeeded' ? '' : (s.error ?? ''),
          ]);
          io.out.write(
            `${formatTable(['step', 'status', 'rows in', 'rows out', 'rejected', 'touched', 'seconds', 'note'], rows)}\n`,
          );
          if (r.schema_changes.length > 0) {
            io.out.write('schema changes:\n');
            for (const c of r.schema_changes) io.out.write(`  ${schemaChangeLine(c)}\n`);
          }
          io.out.write('\n');
        }
      } finally {
        await access.close();
      }
    });
}
