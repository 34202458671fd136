import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import pg from 'pg';
import { ANALYST, run, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({ port: testPort(90) });
});
afterAll(async () => {
  await s?.close();
});

describe('psycopg2', () => {
  it('bytea parameters arrive intact; named cursors read in chunks; hidden schemas stay hidden', async () => {
    const { stdout } = await run(
      '/usr/bin/python3',
      [
        path.join(import.meta.dirname, 'fixtures', 'psycopg2_probe.py'),
        String(s.port),
        ANALYST.user,
        ANALYST.password,
      ],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      bytea: ['0001ff616263', '5c78'],
      chunks: [[[1, 'Ann']], [[2, 'Bob']]],
      hidden: '42501',
    });
  });
});

describe('DECLARE / FETCH / MOVE / CLOSE over the extended protocol (node-postgres)', () => {
  it('reads a cursor forward in steps and ends it with the transaction', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: s.port, database: 'cdw', ...ANALYST });
    await c.connect();
    try {
      await expect(c.query('DECLARE early CURSOR FOR SELECT 1')).rejects.toMatchObject({
        code: '25P01',
      });
      await c.query('BEGIN');
      await c.query('DECLARE c1 CURSOR FOR SELECT id, name FROM customers ORDER BY id');
      const first = await c.query('FETCH 1 FROM c1');
      expect(first.rows).toEqual([{ id: 1, name: 'Ann' }]);
      expect(first.command).toBe('FETCH');
      await c.query('MOVE FORWARD 0 IN c1');
      expect((await c.query('FETCH ALL FROM c1')).rows).toEqual([{ id: 2, name: 'Bob' }]);
      expect((await c.query('FETCH NEXT FROM c1')).rows).toEqual([]);
      await c.query('CLOSE c1');
      await expect(c.query('FETCH 1 FROM c1')).rejects.toMatchObject({ code: '34000' });
      await c.query('ROLLBACK');
      await c.query('BEGIN');
      await c.query('DECLARE c2 CURSOR FOR SELECT 1 AS one');
      await c.query('COMMIT');
      await expect(c.query('FETCH 1 FROM c2')).rejects.toMatchObject({ code: '34000' });
    } finally {
      await c.end();
    }
  });
});
