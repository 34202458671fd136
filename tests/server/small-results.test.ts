import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, startServed, ANALYST, type Served } from './server-fixture.ts';

/**
 * A statement that returned a small result last time runs as a materialized result first; if
 * it runs longer than a moment (a parameter now selects many rows) it is interrupted and
 * streamed instead. The interrupted try must leave nothing behind: every row arrives once, the
 * transaction it ran in goes on, and errors read as DuckDB's.
 */
let s: Served;

beforeAll(async () => {
  s = await startServed({
    steps: [],
    seed: async (wh) => {
      await wh.run(
        'CREATE TABLE public.numbers AS SELECT range AS n, range % 7 AS k FROM range(400000)',
      );
    },
  });
});
afterAll(async () => {
  await s?.close();
});

const upTo = 'SELECT n FROM numbers WHERE n < $1';
const total = (r: { rows: { c: string; s: string }[] }) => r.rows[0];

describe('a statement small last time', () => {
  it('streams every row once when a parameter makes it large, outside and inside a transaction', async () => {
    const c = await connectTo(s, ANALYST);
    try {
      for (const block of [false, true]) {
        if (block) await c.query('BEGIN');
        for (const n of [1, 3, 400_000, 2, 300_000, 5]) {
          const r = await c.query<{ n: string }>(upTo, [n]);
          expect(r.rowCount).toBe(n);
          expect(new Set(r.rows.map((x) => x.n)).size).toBe(n);
        }
        // The transaction (implicit or the client's) is still usable after an interrupted try.
        expect(
          total(
            await c.query<{ c: string; s: string }>(
              'SELECT count(*)::VARCHAR AS c, sum(n)::VARCHAR AS s FROM numbers WHERE k = $1',
              [3],
            ),
          ),
        ).toEqual({ c: '57143', s: '11428600000' });
        if (block) await c.query('COMMIT');
      }
    } finally {
      await c.end();
    }
  });

  it("fails with DuckDB's error and SQLSTATE, and the session goes on", async () => {
    const c = await connectTo(s, ANALYST);
    try {
      const div = 'SELECT n FROM numbers WHERE n = $1::INTEGER';
      expect((await c.query(div, ['4'])).rowCount).toBe(1);
      await expect(c.query(div, ['four'])).rejects.toMatchObject({ code: '22P02' });
      expect((await c.query(div, ['5'])).rows).toEqual([{ n: '5' }]);
    } finally {
      await c.end();
    }
  });
});
