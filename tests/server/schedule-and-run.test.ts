import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../foundation/step.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { readLock } from '../../jobs/lock.ts';
import { main } from '../../jobs/cli/main.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import { startSchedule } from '../../jobs/serve/load-runner.ts';
import { captureIO } from '../helpers/cli.ts';
import { startServed, type Served } from './server-fixture.ts';

const touch: PipelineStep = {
  name: 'touch',
  description: 'counts runs',
  async run(ctx) {
    await ctx.wh.run('INSERT INTO public.run_marks VALUES (current_timestamp)');
    return { rowsIn: 1, rowsOut: 1, rowsRejected: 0 };
  },
};

let s: Served;
beforeAll(async () => {
  s = await startServed({
    steps: [touch],
    seed: (wh) => wh.run('CREATE TABLE public.run_marks (marked_at TIMESTAMPTZ)'),
  });
});
afterAll(async () => {
  await s?.close();
});

describe('runs inside the server', () => {
  it('holds the lock as the server, with a control URL', () => {
    const holder = readLock(s.config.warehouse.path);
    expect(holder?.holder).toBe('server');
    expect(holder?.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('cdw run asks the server to run instead of failing on the lock', async () => {
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', `${s.dir}/cdw.yaml`, 'run'], io);
    expect(io.errText()).toBe('');
    expect(code).toBe(0);
    expect(io.outText()).toMatch(/run r\S+: succeeded/);
    const runs = await readRows<{ trigger: string }>(
      s.serving.warehouse.conn,
      'SELECT trigger FROM meta.runs',
    );
    expect(runs).toEqual([{ trigger: 'cli' }]);
  });

  it('catches up a missed nightly run at start-up, and not twice', async () => {
    const wh = s.serving.warehouse;
    await wh.run("UPDATE meta.runs SET started_at = TIMESTAMPTZ '2026-01-01 10:00:00+00'");
    const now = new Date('2026-01-03T12:00:00Z');
    const first = startSchedule({
      cron: '0 2 * * *',
      timezone: 'Europe/Moscow',
      runner: s.serving.runner,
      wh,
      logger: silentLogger,
      now,
    });
    const caught = await first.caughtUp;
    first.stop();
    expect(caught?.status).toBe('succeeded');
    await wh.run(
      "UPDATE meta.runs SET started_at = TIMESTAMPTZ '2026-01-03 11:00:00+00' WHERE trigger = 'schedule'",
    );
    const second = startSchedule({
      cron: '0 2 * * *',
      timezone: 'Europe/Moscow',
      runner: s.serving.runner,
      wh,
      logger: silentLogger,
      now,
    });
    expect(await second.caughtUp).toBeUndefined();
    second.stop();
    const marks = await readRows<{ n: number }>(
      wh.conn,
      'SELECT count(*) AS n FROM public.run_marks',
    );
    expect(marks).toEqual([{ n: 2 }]);
  });

  it('refuses a second run while one is running', async () => {
    const a = s.serving.runner.run('server');
    await expect(s.serving.runner.run('server')).rejects.toThrow(/already in progress/);
    await a;
  });
});
