import { spawn } from 'node:child_process';
import os from 'node:os';
import type { NotifyConfig } from '../../foundation/config-types.ts';
import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import type { RunSummary } from '../pipeline.ts';

/**
 * What a notification says about a run: ids, outcome, timings, counts and the messages of
 * failed steps (which name sources, tables and steps, never row values) — no customer data.
 */
export interface RunNotice {
  readonly event: 'cdw.run';
  readonly status: 'succeeded' | 'partial' | 'failed';
  readonly run_id: string | null;
  readonly trigger: string;
  readonly host: string;
  readonly warehouse: string;
  readonly seconds: number | null;
  readonly finished_at: string;
  readonly failed: readonly { step: string; source: string; error: string | null }[];
  readonly rows: { readonly in: number; readonly out: number; readonly rejected: number };
  /** set when the run could not start or stopped with an error of its own */
  readonly error: string | null;
  readonly text: string;
}

export function noticeOf(
  run: { summary?: RunSummary; error?: unknown },
  ctx: { trigger: string; warehouse: string },
): RunNotice {
  const s = run.summary;
  const status = s?.status === 'running' || s === undefined ? 'failed' : s.status;
  const failed = (s?.steps ?? [])
    .filter((r) => r.status === 'failed')
    .map((r) => ({ step: r.step, source: r.source, error: r.error }));
  const sum = (k: 'rowsIn' | 'rowsOut' | 'rowsRejected') =>
    (s?.steps ?? []).filter((r) => r.source !== '').reduce((n, r) => n + (r[k] ?? 0), 0);
  const error = run.error === undefined ? null : errorMessage(run.error);
  const what = failed.map((f) => (f.source ? `${f.step} ${f.source}` : f.step)).join(', ');
  return {
    event: 'cdw.run',
    status,
    run_id: s?.runId ?? null,
    trigger: ctx.trigger,
    host: os.hostname(),
    warehouse: ctx.warehouse,
    seconds: s ? Number(s.seconds.toFixed(1)) : null,
    finished_at: new Date().toISOString(),
    failed,
    rows: { in: sum('rowsIn'), out: sum('rowsOut'), rejected: sum('rowsRejected') },
    error,
    text:
      `cdw run ${s?.runId ?? ''} on ${os.hostname()}: ${status}`.replace('  ', ' ') +
      (what ? ` (failed: ${what})` : '') +
      (error ? ` — ${error}` : ''),
  };
}

/**
 * Sends the notice to the webhook (JSON POST) and the command (JSON on standard input) when
 * its status is one of `config.on`. A failed notification is logged; it never fails the run.
 */
export async function notifyRun(
  config: NotifyConfig | undefined,
  notice: RunNotice,
  logger: Logger,
): Promise<void> {
  if (config === undefined || !config.on.includes(notice.status)) return;
  const body = JSON.stringify(notice);
  const jobs: Promise<void>[] = [];
  if (config.webhook) {
    const hook = config.webhook;
    jobs.push(
      (async () => {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...hook.headers },
          body,
          signal: AbortSignal.timeout(hook.timeoutMs),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
      })().catch((err: unknown) =>
        logger.warn(`notify: webhook ${new URL(hook.url).host} failed: ${errorMessage(err)}`),
      ),
    );
  }
  if (config.command) {
    const command = config.command;
    jobs.push(
      runCommand(command, config.cwd, body, notice).catch((err: unknown) =>
        logger.warn(`notify: command failed: ${errorMessage(err)}`),
      ),
    );
  }
  await Promise.all(jobs);
}

function runCommand(command: string, cwd: string, body: string, notice: RunNotice): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      shell: true,
      cwd,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CDW_RUN_ID: notice.run_id ?? '',
        CDW_RUN_STATUS: notice.status,
        CDW_RUN_TEXT: notice.text,
      },
      timeout: 60_000,
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-500)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `exit ${code ?? signal}${err.trim() ? `: ${err.trim().split('\n').pop()}` : ''}`,
          ),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
  });
}
