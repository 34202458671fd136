import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { SEGMENTS } from './fixture/built.ts';
import { RUN_ID, SOURCE_TABLES, seedWorld } from './fixture/world.ts';

describe('place names in one script', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await memoryWarehouse();
    await seedWorld(wh, new Date());
    // the same city as three systems write it
    await wh.run("UPDATE core.dim_customer SET city = 'Москва' WHERE customer_id IN (1, 2)");
    await wh.run("UPDATE core.dim_customer SET city = 'Moskva' WHERE customer_id = 3");
    await wh.run("UPDATE core.dim_customer SET city = 'MOSKVA ' WHERE customer_id = 4");
    await wh.run("UPDATE core.dim_customer SET city = 'Санкт-Петербург' WHERE customer_id = 5");
    await buildMarts(wh, {
      runId: RUN_ID,
      complaintDays: 30,
      segments: SEGMENTS,
      sourceTables: SOURCE_TABLES,
    });
  });
  afterAll(() => wh.close());

  it('Moskva and Москва are one city in the segments mart', async () => {
    const cities = await wh.all(
      `SELECT city_key, count(*) AS customers, list_sort(list(DISTINCT city_display)) AS shown
       FROM marts.customer_segments WHERE customer_id IN (1, 2, 3, 4, 5) GROUP BY city_key ORDER BY city_key`,
    );
    expect(cities).toEqual([
      { city_key: 'moskva', customers: 4, shown: ['MOSKVA ', 'Moskva'] },
      { city_key: 'sankt peterburg', customers: 1, shown: ['Sankt-Peterburg'] },
    ]);
    expect(
      await wh.scalar(
        "SELECT count(DISTINCT city_key) FROM marts.customer_360 WHERE city_key = 'moskva'",
      ),
    ).toBe(1);
  });
});
