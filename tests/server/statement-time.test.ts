import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectTo, startServed, ANALYST, type Served } from './server-fixture.ts';

/**
 * DuckDB's `now()` (and `current_timestamp`, `current_date`) is the start of the transaction.
 * Outside a transaction block PostgreSQL gives each statement its own, so `now()` is never
 * before the client sent the statement — also on a connection that sat idle in a pool.
 */
let s: Served;

beforeAll(async () => {
  s = await startServed({
    steps: [],
    seed: async (wh) => {
      await wh.run('CREATE TABLE public.points AS SELECT range AS n FROM range(10)');
    },
  });
});
afterAll(async () => {
  await s?.close();
});

/** Lets the connection sit idle for a moment, as one in a pool does between statements. */
const idle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** `now()` of a result's row, in milliseconds since the epoch. */
const millis = (r: pg.QueryResult<{ t: string }>) =>
  Date.parse(r.rows[0]!.t.replace(' ', 'T').replace(/\+00$/, 'Z'));

describe("an analyst's now()", () => {
  it('is the time of each statement, not the end of the last one', async () => {
    const c = await connectTo(s, ANALYST);
    try {
      const simple = 'SELECT now()::VARCHAR AS t, count(*) AS n FROM points';
      const extended = 'SELECT now()::VARCHAR AS t FROM points WHERE n = $1';
      for (let i = 0; i < 3; i++) {
        await idle();
        let sent = Date.now();
        expect(millis(await c.query<{ t: string }>(simple))).toBeGreaterThanOrEqual(sent);
        await idle();
        sent = Date.now();
        expect(millis(await c.query<{ t: string }>(extended, [i]))).toBeGreaterThanOrEqual(sent);
        // A statement the session answers itself leaves no transaction behind either.
        await c.query('SET application_name = x');
      }
    } finally {
      await c.end();
    }
  });
});
