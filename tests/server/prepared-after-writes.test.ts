import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStep } from '../../foundation/step.ts';
import { callControl } from '../../jobs/serve/control.ts';
import { connectTo, startServed, ADMIN, ANALYST, type Served } from './server-fixture.ts';

/**
 * DuckDB 1.5 plans a prepared statement with the statistics of the rows at hand (a filter they
 * rule out becomes an empty result; duckdb/duckdb#23704) and plans again only when the catalog
 * changes. The server reuses DuckDB statements across client statements, so each kind of write
 * must retire them: a load, an admin's statement, a user added through the control endpoint.
 * The warehouse is reopened by the server, so its statistics come from the file (where the
 * folding shows).
 */
const load: PipelineStep = {
  name: 'load_v',
  description: 'rewrites public.versions as version 2',
  async run(ctx) {
    await ctx.wh.run('DELETE FROM public.versions');
    await ctx.wh.run(
      'INSERT INTO public.versions SELECT 2 AS version, range AS n FROM range(1000)',
    );
    return { rowsIn: 1000, rowsOut: 1000, rowsRejected: 0 };
  },
};

let s: Served;
const client = (who: { user: string; password: string }) => connectTo(s, who);

beforeAll(async () => {
  s = await startServed({
    steps: [load],
    seed: async (wh) => {
      await wh.run(
        'CREATE TABLE public.versions AS SELECT 1 AS version, range AS n FROM range(1000)',
      );
      await wh.run('CREATE TABLE public.edits AS SELECT 1 AS version, range AS n FROM range(1000)');
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('statements prepared before a write', () => {
  it('see the rows of a load, named and unnamed, simple and extended', async () => {
    const c = await client(ANALYST);
    try {
      const named = {
        name: 'v2',
        text: 'SELECT count(*)::INT AS n FROM versions WHERE version = 2',
      };
      const unnamed = 'SELECT count(*)::INT AS n FROM versions WHERE version = $1';
      const simple = 'SELECT count(*)::INT AS n, min(version) AS lo FROM versions';
      for (let i = 0; i < 3; i++) {
        expect((await c.query(named)).rows).toEqual([{ n: 0 }]);
        expect((await c.query(unnamed, [2])).rows).toEqual([{ n: 0 }]);
        expect((await c.query(simple)).rows).toEqual([{ n: 1000, lo: 1 }]);
      }
      const summary = await s.serving.runner.run('test');
      expect(summary.status).toBe('succeeded');
      expect((await c.query(named)).rows).toEqual([{ n: 1000 }]);
      expect((await c.query(unnamed, [2])).rows).toEqual([{ n: 1000 }]);
      expect((await c.query(simple)).rows).toEqual([{ n: 1000, lo: 2 }]);
    } finally {
      await c.end();
    }
  });

  it("see an admin's writes, outside and inside a transaction block", async () => {
    const ana = await client(ANALYST);
    const adm = await client(ADMIN);
    try {
      // A literal in the text: DuckDB prunes it with the statistics (a parameter it cannot).
      const count = (v: number) =>
        ana.query(`SELECT count(*)::INT AS n FROM edits WHERE version = ${v}`);
      expect((await count(3)).rows).toEqual([{ n: 0 }]);
      await adm.query('UPDATE public.edits SET version = 3 WHERE n < 10');
      expect((await count(3)).rows).toEqual([{ n: 10 }]);
      expect((await count(4)).rows).toEqual([{ n: 0 }]);
      await adm.query('BEGIN');
      await adm.query('UPDATE public.edits SET version = $1 WHERE n < $2', [4, 20]);
      expect((await count(4)).rows).toEqual([{ n: 0 }]);
      await adm.query('COMMIT');
      expect((await count(4)).rows).toEqual([{ n: 20 }]);
      // The writer's own statements, inside its block, before it commits.
      const own = () => adm.query('SELECT count(*)::INT AS n FROM public.edits WHERE version = 5');
      await adm.query('BEGIN');
      expect((await own()).rows).toEqual([{ n: 0 }]);
      await adm.query('UPDATE public.edits SET version = 5 WHERE n < 30');
      expect((await own()).rows).toEqual([{ n: 30 }]);
      await adm.query('ROLLBACK');
      expect((await own()).rows).toEqual([{ n: 0 }]);
    } finally {
      await ana.end();
      await adm.end();
    }
  });

  it('see a user added through the control endpoint', async () => {
    const adm = await client(ADMIN);
    try {
      const q = {
        name: 'u',
        text: "SELECT count(*)::INT AS n FROM meta.users WHERE name = 'zz_new'",
      };
      expect((await adm.query(q)).rows).toEqual([{ n: 0 }]);
      const r = await callControl(s.serving.controlUrl, 'POST', '/users', {
        name: 'zz_new',
        role: 'analyst',
        password: 'a-new-secret-1',
        grants: [],
      });
      expect(r.status).toBe(200);
      expect((await adm.query(q)).rows).toEqual([{ n: 1 }]);
    } finally {
      await adm.end();
    }
  });
});
