import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ANALYST, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
let c: pg.Client;
beforeAll(async () => {
  s = await startServed({ port: testPort(80) });
  c = new pg.Client({ host: '127.0.0.1', port: s.port, database: 'cdw', ...ANALYST });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await s?.close();
});

describe('node-postgres parameters (extended protocol, values as untyped text)', () => {
  it('an untyped parameter in the select list keeps its column name', async () => {
    const r = await c.query('SELECT $1 AS v, $2 AS w', ['hello', 42]);
    expect(r.fields.map((f) => f.name)).toEqual(['v', 'w']);
    expect(r.rows).toEqual([{ v: 'hello', w: '42' }]);
  });

  it('an untyped parameter in arithmetic takes the type of the other operand', async () => {
    const one = await c.query('SELECT $1 + 1 AS n', [41]);
    expect(one.rows).toEqual([{ n: 42 }]);
    expect(one.fields[0]?.dataTypeID).toBe(23);
    const where = await c.query('SELECT id FROM customers WHERE id > $1 - 5 ORDER BY id', [6]);
    expect(where.rows).toEqual([{ id: 2 }]);
    // beside a column (its type is known only when DuckDB binds the statement)
    const col = await c.query('SELECT id * $1 AS n FROM customers WHERE $1 - id = 1', [2]);
    expect(col.rows).toEqual([{ n: 2 }]);
    const dec = await c.query('SELECT $1 * 2.5 AS n', ['3.5']);
    expect(dec.rows).toEqual([{ n: 8.75 }]);
    // a value that is not a number fails as in PostgreSQL (22P02), not with a binder error
    await expect(c.query('SELECT $1 + 1 AS n', ['abc'])).rejects.toMatchObject({
      code: '22P02',
    });
  });

  it('array parameters: = ANY($1) and $1::int[]', async () => {
    const any = await c.query('SELECT id FROM customers WHERE id = ANY($1) ORDER BY id', [[1, 2]]);
    expect(any.rows).toEqual([{ id: 1 }, { id: 2 }]);
    const names = await c.query('SELECT id FROM customers WHERE name = ANY($1)', [['Bob', 'x,"y']]);
    expect(names.rows).toEqual([{ id: 2 }]);
    const arr = await c.query('SELECT $1::int[] AS a, $2::text[] AS t', [
      [1, null, 3],
      ['a b', 'c"d'],
    ]);
    expect(arr.rows).toEqual([{ a: [1, null, 3], t: ['a b', 'c"d'] }]);
  });

  it('jsonb casts and parameters', async () => {
    const r = await c.query(`SELECT $1::jsonb AS j, '{"b": [1, 2]}'::jsonb AS k`, [{ a: 1 }]);
    expect(r.rows).toEqual([{ j: { a: 1 }, k: { b: [1, 2] } }]);
  });
});

describe('plans reused by statement text', () => {
  it('are made again when a setting they read changes (current_setting, search_path)', async () => {
    const text = "SELECT current_setting('statement_timeout') AS t";
    expect((await c.query(text)).rows).toEqual([{ t: '0' }]);
    expect((await c.query({ text, values: [] })).rows).toEqual([{ t: '0' }]);
    await c.query("SET statement_timeout = '5s'");
    expect((await c.query(text)).rows).toEqual([{ t: '5s' }]);
    await c.query('RESET statement_timeout');
    expect((await c.query(text)).rows).toEqual([{ t: '0' }]);
    const count = 'SELECT count(*)::INTEGER AS n FROM customers';
    expect((await c.query(count)).rows).toEqual([{ n: 2 }]);
    await c.query('SET search_path = marts');
    await expect(c.query(count)).rejects.toMatchObject({ code: '42P01' });
    await c.query('RESET search_path');
    expect((await c.query(count)).rows).toEqual([{ n: 2 }]);
  });
});
