import { afterEach, describe, expect, it } from 'vitest';
import { tablesIn, Warehouse } from '../../foundation/duckdb-client.ts';

describe('tablesIn', () => {
  let wh: Warehouse | undefined;
  afterEach(() => wh?.close());

  it('answers for every name what tableExists answers: tables and views, that schema only, case as written', async () => {
    wh = await Warehouse.open(':memory:');
    await wh.run('CREATE SCHEMA marts');
    await wh.run('CREATE SCHEMA core');
    await wh.run('CREATE TABLE marts.t_one (x INTEGER)');
    await wh.run('CREATE VIEW marts.v_one AS SELECT 1 AS x');
    await wh.run('CREATE TABLE core.t_other (x INTEGER)');
    await wh.run('CREATE TEMP TABLE t_temp (x INTEGER)');
    await wh.run('CREATE TABLE marts."Mixed" (x INTEGER)');
    await wh.run('CREATE TABLE marts.t_dropped (x INTEGER)');
    await wh.run('DROP TABLE marts.t_dropped');
    const marts = await tablesIn(wh, 'marts');
    for (const name of [
      't_one',
      'v_one',
      't_other',
      't_temp',
      'Mixed',
      'mixed',
      't_dropped',
      'none',
    ])
      expect([name, marts.has(name)]).toEqual([name, await wh.tableExists('marts', name)]);
    expect([...marts].sort()).toEqual(['Mixed', 't_one', 'v_one']);
  });
});
