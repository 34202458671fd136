import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { commentMarts } from '../../jobs/reports/marts/comment-marts.ts';
import { builtWorld } from './fixture/built.ts';

describe('mart descriptions', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await builtWorld(new Date());
  });
  afterAll(() => wh.close());

  it('every mart table and column has a description (COMMENT ON), written by the build', async () => {
    expect(await commentMarts(wh)).toEqual([]);
    const bare = await wh.all(
      `SELECT table_name, column_name FROM duckdb_columns()
       WHERE schema_name = 'marts' AND (comment IS NULL OR comment = '')
         AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts')`,
    );
    expect(bare).toEqual([]);
    const tables = await wh.all(
      "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND (comment IS NULL OR comment = '')",
    );
    expect(tables).toEqual([]);
  });

  it('gives nested values a shape a BI tool reads: JSON, and child tables', async () => {
    const types = await wh.all<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'marts' AND (data_type LIKE 'STRUCT%' OR data_type LIKE 'MAP%' OR data_type LIKE '%STRUCT%[]')",
    );
    expect(types).toEqual([]);
  });
});
