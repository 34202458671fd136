import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DataRowBuffer, writeChunkRows } from '../../warehouse/server/chunk-rows.ts';
import { textEncoder } from '../../warehouse/server/encode-values.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => conn?.closeSync());

/** Every row of a query as DataRow bytes, once from the vectors and once through the value encoders. */
async function bothWays(sql: string): Promise<{ fast: Buffer; values: Buffer }> {
  const result = await conn.run(sql);
  const types = result.columnTypes();
  const encoders = types.map(textEncoder);
  const fast = new DataRowBuffer(64);
  const values = new DataRowBuffer(64);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    writeChunkRows(
      fast,
      chunk,
      types,
      encoders,
      types.map(() => true),
      0,
      chunk.rowCount,
    );
    // in two parts, as a row limit (Execute with max rows, FETCH n) splits a chunk
    const half = Math.floor(chunk.rowCount / 2);
    writeChunkRows(
      values,
      chunk,
      types,
      encoders,
      types.map(() => false),
      0,
      half,
    );
    writeChunkRows(
      values,
      chunk,
      types,
      encoders,
      types.map(() => false),
      half,
      chunk.rowCount,
    );
  }
  return { fast: fast.take(), values: values.take() };
}

describe('DataRows written from DuckDB vectors', () => {
  it('print every value as the value encoders do, edges and NULLs included', async () => {
    const { fast, values } = await bothWays(`
      SELECT * FROM (VALUES
        ((-128)::TINYINT, 255::UTINYINT, (-32768)::SMALLINT, 65535::USMALLINT, (-2147483648)::INTEGER, 4294967295::UINTEGER,
         (-9223372036854775808)::BIGINT, (-0.05)::DECIMAL(4,2), (-1234.567)::DECIMAL(9,3), 123456789012.345678::DECIMAL(18,6),
         (-99999999999999.9999)::DECIMAL(18,4), 1.5::DECIMAL(38,10), 1e300::DOUBLE, true,
         DATE '0044-03-15 (BC)', TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '2024-01-02 03:04:05.5+00',
         'twelve bytes', 'thirteen byte', ''),
        (127, 0, 32767, 0, 2147483647, 0, 9223372036854775807, 99.99, 0.001, -0.000001, 9007199254740993.0000,
         -0.0000000001, -0.1, false, DATE '9999-12-31', TIMESTAMP '0001-01-01 00:00:00', TIMESTAMPTZ 'infinity',
         'ünïcödé ✓ and more than twelve', 'x', 'a'),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, DATE 'infinity',
         TIMESTAMP '-infinity', NULL, NULL, NULL, NULL),
        (0, 1, -1, 1, -1, 1, 9007199254740992, 0, 0, 0, 0, 0, 'NaN'::DOUBLE, NULL, DATE '1970-01-01',
         TIMESTAMP '2000-02-29 12:00:00.010', TIMESTAMPTZ '1900-01-01 00:00:00+00', NULL, 'y', 'b')
      )`);
    expect(fast.equals(values)).toBe(true);
  });

  it('agree over many chunks of generated dates, timestamps, decimals and strings', async () => {
    const { fast, values } = await bothWays(`
      SELECT i, (hash(i) % 100000000000)::BIGINT - 50000000000 AS b,
             ((hash(i) % 2000000)::BIGINT - 1000000)::DECIMAL(18,3) / 7 AS d,
             DATE '1600-01-01' + (hash(i) % 200000)::INTEGER AS dt,
             TIMESTAMP '1800-01-01' + to_microseconds((hash(i) % 9000000000000000)::BIGINT) AS ts,
             CASE WHEN i % 7 = 0 THEN NULL ELSE repeat('é', (i % 20)::INTEGER) END AS s
      FROM range(10000) t(i)`);
    expect(fast.length).toBeGreaterThan(100000);
    expect(fast.equals(values)).toBe(true);
  });

  it('print doubles as the shortest decimal that reads back, as float8Text does', async () => {
    const { fast, values } = await bothWays(`
      SELECT x, -x AS neg, x / 3 AS third, x * 1e-6 AS small, x * 1e9 AS large, x + 0.5 AS half
      FROM (SELECT (hash(i) % 2000000)::BIGINT / 10.0 - 100000 AS x FROM range(20000) t(i)
            UNION ALL SELECT unnest([0.1, 0.2, 0.1 + 0.2, 0.3, 1e-5, 1.23e-4, 99999999999.9999,
                                     100000000000.5, 1e11 - 0.0001, 5e-324, 1e21, 123456.789,
                                     2.5, -0.0, 0.0, 'NaN'::DOUBLE, 'Infinity'::DOUBLE,
                                     9007199254740991, 0.30000000000000004])::DOUBLE)`);
    expect(fast.equals(values)).toBe(true);
  });
});
