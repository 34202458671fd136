import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../foundation/step.ts';
import { connectTo, startServed, ANALYST, type Served } from './server-fixture.ts';

/**
 * Analyst sessions that read before a load and then sit idle (a BI tool's pool) must hold no
 * snapshot from before it: DuckDB refuses a CHECKPOINT while a transaction older than an update
 * is open, so the runner's checkpoint after the load would fail and the WAL would keep the
 * whole load. Their next statement sees the load.
 */
const bump: PipelineStep = {
  name: 'bump_version',
  description: 'updates every row of public.versions',
  async run(ctx) {
    await ctx.wh.run('UPDATE public.versions SET version = version + 1');
    return { rowsIn: 1000, rowsOut: 1000, rowsRejected: 0 };
  },
};

let s: Served;
beforeAll(async () => {
  s = await startServed({
    steps: [bump],
    seed: async (wh) => {
      await wh.run(
        'CREATE TABLE public.versions AS SELECT 1 AS version, range AS n FROM range(1000)',
      );
    },
  });
});
afterAll(async () => {
  await s?.close();
});

const walBytes = () => {
  const wal = `${s.config.warehouse.path}.wal`;
  return existsSync(wal) ? statSync(wal).size : 0;
};

describe('a load beside idle analyst sessions', () => {
  it('is checkpointed, and each session sees it at its next statement', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connectTo(s, ANALYST)));
    const simple = 'SELECT max(version)::INT AS v FROM versions';
    const extended = 'SELECT max(version)::INT AS v FROM versions WHERE n >= $1';
    try {
      for (const c of clients) {
        expect((await c.query(simple)).rows).toEqual([{ v: 1 }]);
        expect((await c.query(extended, [0])).rows).toEqual([{ v: 1 }]);
      }
      const summary = await s.serving.runner.run('test');
      expect(summary.status).toBe('succeeded');
      expect(walBytes()).toBe(0);
      for (const c of clients) {
        expect((await c.query(extended, [0])).rows).toEqual([{ v: 2 }]);
        expect((await c.query(simple)).rows).toEqual([{ v: 2 }]);
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
