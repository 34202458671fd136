import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, lockPath } from '../../jobs/lock.ts';
import { LockError } from '../../foundation/errors.ts';
import { parseConfigText } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { captureIO } from '../helpers/cli.ts';
import type { PipelineStep } from '../../foundation/step.ts';

/** The pid of a process that has been killed with SIGKILL — as after `kill -9` of a nightly run. */
async function killedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  const pid = child.pid!;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return pid;
}

describe('one run at a time per warehouse', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('refuses a second lock naming the run that holds it', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const wh = path.join(dir, 'w.duckdb');
    const first = acquireLock(wh, { holder: 'run', runId: 'r-first' });
    try {
      expect(() => acquireLock(wh, { holder: 'run', runId: 'r-second' })).toThrow(LockError);
      expect(() => acquireLock(wh, { holder: 'run', runId: 'r-second' })).toThrow(
        /locked by run r-first \(pid \d+/,
      );
    } finally {
      first.release();
    }
    expect(existsSync(lockPath(wh))).toBe(false);
  });

  it('takes over a lock left by a killed process', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const wh = path.join(dir, 'w.duckdb');
    const dead = await killedPid();
    writeFileSync(
      lockPath(wh),
      JSON.stringify({
        pid: dead,
        host: os.hostname(),
        holder: 'run',
        runId: 'r-killed',
        since: new Date().toISOString(),
      }),
    );
    const lock = acquireLock(wh, { holder: 'run', runId: 'r-new' });
    expect(lock.tookOverFrom?.runId).toBe('r-killed');
    lock.release();
  });

  it('a second cdw run fails fast with the holder, exit code 3, and records nothing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const cfgFile = path.join(dir, 'cdw.yaml');
    writeFileSync(cfgFile, 'warehouse:\n  path: w.duckdb\n');
    const held = acquireLock(path.join(dir, 'w.duckdb'), { holder: 'run', runId: 'r-nightly' });
    try {
      const io = captureIO();
      const code = await main(['node', 'cdw', 'run', '--config', cfgFile], io);
      expect(code).toBe(3);
      expect(io.errText()).toMatch(/locked by run r-nightly/);
      expect(existsSync(path.join(dir, 'w.duckdb'))).toBe(false);
    } finally {
      held.release();
    }
  });

  it('a run after a killed run takes over its lock and marks the abandoned run failed', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const cfgFile = path.join(dir, 'cdw.yaml');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/hung-run.ts'), cfgFile],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let said = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        said += c.toString();
        if (said.includes('started')) resolve();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${said}`)));
    });
    const killedRun = /run (\S+) started/.exec(said)![1]!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(lockPath(path.join(dir, 'w.duckdb')))).toBe(true);

    const config = parseConfigText('warehouse:\n  path: w.duckdb\n', cfgFile);
    const noop: PipelineStep = {
      name: 'extract',
      description: 'noop',
      run: async () => ({ rowsIn: 0, rowsOut: 0, rowsRejected: 0 }),
    };
    const summary = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: [noop],
    });
    expect(summary.status).toBe('succeeded');
    expect(summary.tookOverLockFrom).toBe(killedRun);
    const wh = await Warehouse.open(config.warehouse.path);
    try {
      const runs = await wh.all<{ run_id: string; status: string }>(
        'SELECT run_id, status FROM meta.runs ORDER BY started_at',
      );
      expect(runs).toEqual([
        { run_id: killedRun, status: 'failed' },
        { run_id: summary.runId, status: 'succeeded' },
      ]);
    } finally {
      wh.close();
    }
  });
});
