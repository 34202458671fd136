import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { configWith, rawTable, runTransform, source, table } from './fixtures.ts';

// Issue 16, defects 5 (non-finite numbers) and 12 (staging rejections recorded again every run).

const L1 = { load: 'l1', at: '2024-03-01T02:00:00Z' };
const L2 = { load: 'l2', at: '2024-03-02T02:00:00Z' };

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

const sales = () =>
  configWith([
    source('pos', [
      table('pos', 'sales', 'transaction', {
        record_key: 'id',
        amount: 'amount',
        occurred_at: 'at',
      }),
    ]),
  ]);

describe('staging of amounts beyond a double', () => {
  it('rejects -1e400 and 1.79e309 (they typed as ±Infinity) and keeps 1e308; rows in = out + rejected', async () => {
    await rawTable(
      wh,
      'pos__sales',
      ['id', 'amount', 'at'],
      [
        { ...L1, values: ['s1', '-1e400', '2024-02-10 10:00:00'] },
        { ...L1, values: ['s2', '1.79e309', '2024-02-10 10:00:00'] },
        { ...L1, values: ['s3', '1e308', '2024-02-10 10:00:00'] },
      ],
    );
    const run = await runTransform(wh, sales());
    expect(run.steps.find((s) => s.source === 'pos.sales')).toMatchObject({
      rowsIn: 3,
      rowsOut: 1,
      rowsRejected: 2,
    });
    expect(await wh.all('SELECT txn_uid, amount FROM staging.transactions')).toEqual([
      { txn_uid: 'pos.sales:s3', amount: 1e308 },
    ]);
    expect(
      await wh.all(
        `SELECT location, reason FROM meta.rejected_rows WHERE stage = 'staging' ORDER BY location`,
      ),
    ).toEqual([
      { location: 's1', reason: 'amount: not a number' },
      { location: 's2', reason: 'amount: not a number' },
    ]);
  });
});

describe('staging rejections', () => {
  it('are recorded once, not again every run; a new version of the row is recorded anew', async () => {
    await rawTable(
      wh,
      'pos__sales',
      ['id', 'amount', 'at'],
      [
        { ...L1, values: ['s1', 'ten', '2024-02-10 10:00:00'] },
        { ...L1, values: ['s2', '5', '2024-02-10 10:00:00'] },
      ],
    );
    const first = await runTransform(wh, sales());
    // a full refresh restages every row: the rejected one is still not recorded again
    const second = await runTransform(wh, sales(), { fullRefresh: true });
    for (const r of [first, second])
      expect(r.steps.find((s) => s.source === 'pos.sales')).toMatchObject({
        rowsIn: 2,
        rowsOut: 1,
        rowsRejected: 1,
      });
    const rows = () =>
      wh.all(
        `SELECT run_id, load_id, location, reason FROM meta.rejected_rows WHERE stage = 'staging' ORDER BY rejected_at`,
      );
    expect(await rows()).toEqual([
      { run_id: first.runId, load_id: 'l1', location: 's1', reason: 'amount: not a number' },
    ]);
    // The source sends the row again, still wrong: that version is a rejection of its own.
    await rawTable(
      wh,
      'pos__sales',
      ['id', 'amount', 'at'],
      [{ ...L2, values: ['s1', 'eleven', '2024-02-10 10:00:00'] }],
      { append: true },
    );
    const third = await runTransform(wh, sales());
    expect((await rows()).map((r) => [r.run_id, r.load_id])).toEqual([
      [first.runId, 'l1'],
      [third.runId, 'l2'],
    ]);
  });
});
