import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import pg from 'pg';
import { ADMIN, ANALYST, run, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({
    port: testPort(70),
    seed: async (wh) => {
      await wh.run(
        `CREATE TABLE public.lines (order_id BIGINT, line_no INTEGER, part VARCHAR, qty INTEGER, PRIMARY KEY (order_id, line_no, part))`,
      );
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('psqlODBC with its default settings (pyodbc)', () => {
  it('runs parameterised statements, and answers SQLStatistics, SQLPrimaryKeys and SQLForeignKeys', async () => {
    const { stdout } = await run(
      '/usr/bin/python3',
      [
        path.join(import.meta.dirname, 'fixtures', 'odbc_probe.py'),
        String(s.port),
        ANALYST.user,
        ANALYST.password,
      ],
      { timeout: 60_000 },
    );
    const out = JSON.parse(stdout) as Record<string, unknown[][]>;
    // Each statement runs inside psqlODBC's per-statement SAVEPOINT.
    expect(out.param).toEqual([['Ann']]);
    expect(out.params).toEqual([[2]]);
    // SQLStatistics asks pg_get_indexdef(oid, n, true) for n = 1, 2, … until ''.
    expect(out.statistics).toEqual([
      ['lines_order_id_line_no_part_pkey', 'order_id', 1],
      ['lines_order_id_line_no_part_pkey', 'line_no', 2],
      ['lines_order_id_line_no_part_pkey', 'part', 3],
    ]);
    // indkey is subscripted from 0 (it was read from 1: 2 of 3 columns came back).
    expect(out.primary_keys).toEqual([
      ['order_id', 1],
      ['line_no', 2],
      ['part', 3],
    ]);
    expect(out.foreign_keys).toEqual([['customers', 'id', 'orders', 'customer_id', 1]]);
  });
});

describe('savepoints (names over DuckDB transactions, which have none)', () => {
  async function connect(who: { user: string; password: string }): Promise<pg.Client> {
    const c = new pg.Client({ host: '127.0.0.1', port: s.port, database: 'cdw', ...who });
    await c.connect();
    return c;
  }

  it('ROLLBACK TO recovers a failed transaction that has not written', async () => {
    const c = await connect(ANALYST);
    try {
      await c.query('BEGIN');
      await c.query('SAVEPOINT a');
      await expect(c.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(c.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await c.query('ROLLBACK TO SAVEPOINT a');
      expect((await c.query('SELECT count(*)::INTEGER AS n FROM customers')).rows).toEqual([
        { n: 2 },
      ]);
      await c.query('RELEASE a');
      await expect(c.query('RELEASE a')).rejects.toMatchObject({ code: '3B001' });
      await c.query('ROLLBACK');
      await expect(c.query('SAVEPOINT outside')).rejects.toMatchObject({ code: '25P01' });
    } finally {
      await c.end();
    }
  });

  it('refuses ROLLBACK TO after the transaction changed data (it cannot be undone in part)', async () => {
    const c = await connect(ADMIN);
    try {
      await c.query('BEGIN');
      await c.query("INSERT INTO public.lines VALUES (1, 1, 'x', 1)");
      await c.query('SAVEPOINT b');
      await expect(c.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(c.query('ROLLBACK TO b')).rejects.toMatchObject({ code: '0A000' });
      await c.query('ROLLBACK');
      expect((await c.query('SELECT count(*)::INTEGER AS n FROM public.lines')).rows).toEqual([
        { n: 0 },
      ]);
    } finally {
      await c.end();
    }
  });
});
