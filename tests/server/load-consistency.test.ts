import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../foundation/step.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import { connectTo, startServed, ANALYST, type Served } from './server-fixture.ts';

/**
 * A load that changes two tables in separate steps (separate transactions, with pauses), so a
 * reader on the live state would see them disagree halfway. Readers must see old or new.
 */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const step = (name: string, table: string): PipelineStep => ({
  name,
  description: `test load of ${table}`,
  async run(ctx) {
    await ctx.wh.run(`DELETE FROM public.${table}`);
    await pause(150);
    await ctx.wh.run(
      `INSERT INTO public.${table} SELECT 2 AS version, range AS n FROM range(1000)`,
    );
    await pause(150);
    return { rowsIn: 1000, rowsOut: 1000, rowsRejected: 0 };
  },
});

let s: Served;
beforeAll(async () => {
  s = await startServed({
    steps: [step('load_a', 'load_a'), step('load_b', 'load_b')],
    seed: async (wh) => {
      await wh.run(
        'CREATE TABLE public.load_a AS SELECT 1 AS version, range AS n FROM range(1000)',
      );
      await wh.run(
        'CREATE TABLE public.load_b AS SELECT 1 AS version, range AS n FROM range(1000)',
      );
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('a nightly load while 20 clients query', () => {
  it('never shows a half-loaded state and no client sees an error', async () => {
    let loadDone = false;
    const seen: string[] = [];
    const errors: string[] = [];
    const reader = async () => {
      const c = await connectTo(s, ANALYST);
      let afterLoad = 0;
      let last = 0;
      try {
        for (let i = 0; i < 2000 && afterLoad < 5; i++) {
          if (loadDone) afterLoad++;
          // Both tables in one statement, and in a transaction of two statements.
          const r = await c.query(
            'SELECT (SELECT min(version) FROM load_a) AS a_min, (SELECT max(version) FROM load_a) AS a_max, (SELECT count(*) FROM load_a) AS a_n, (SELECT min(version) FROM load_b) AS b_min, (SELECT max(version) FROM load_b) AS b_max, (SELECT count(*) FROM load_b) AS b_n',
          );
          const row = r.rows[0] as Record<string, string | number>;
          const state = `${row.a_min}/${row.a_max}/${row.a_n} ${row.b_min}/${row.b_max}/${row.b_n}`;
          seen.push(state);
          const v = Number(row.a_min);
          if (v < last) errors.push(`went back from ${last} to ${v}`);
          last = v;
          if (i % 5 === 0) {
            await c.query('BEGIN');
            const a = await c.query('SELECT max(version) AS v, count(*)::int AS n FROM load_a');
            await pause(5);
            const b = await c.query('SELECT max(version) AS v, count(*)::int AS n FROM load_b');
            await c.query('COMMIT');
            if (a.rows[0].v !== b.rows[0].v || a.rows[0].n !== 1000 || b.rows[0].n !== 1000)
              errors.push(
                `transaction saw a=${JSON.stringify(a.rows[0])} b=${JSON.stringify(b.rows[0])}`,
              );
          }
        }
      } catch (err) {
        errors.push(String(err));
      } finally {
        await c.end();
      }
    };
    const readers = Array.from({ length: 20 }, reader);
    await pause(200);
    const summary = await s.serving.runner.run('schedule');
    loadDone = true;
    await Promise.all(readers);

    expect(errors).toEqual([]);
    expect(summary.status).toBe('succeeded');
    const states = new Set(seen);
    for (const st of states) expect(['1/1/1000 1/1/1000', '2/2/1000 2/2/1000']).toContain(st);
    expect(states).toContain('1/1/1000 1/1/1000');
    expect(states).toContain('2/2/1000 2/2/1000');
    const runs = await readRows<{ trigger: string; status: string }>(
      s.serving.warehouse.conn,
      'SELECT trigger, status FROM meta.runs',
    );
    expect(runs).toEqual([{ trigger: 'schedule', status: 'succeeded' }]);
  });
});
