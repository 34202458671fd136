import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { builtWorld } from './fixture/built.ts';
import { RUN_ID, SOURCE_TABLES } from './fixture/world.ts';

describe('marts.data_quality', () => {
  let wh: Warehouse;
  const now = new Date();
  beforeAll(async () => {
    wh = await builtWorld(now);
  });
  afterAll(() => wh.close());

  const table = (source: string, t: string) =>
    wh.one(
      'SELECT * FROM marts.data_quality WHERE run_id = $1 AND source = $2 AND source_table = $3',
      [RUN_ID, source, t],
    );

  it('reports rows read, landed and rejected per source table and run, and the rejections by reason', async () => {
    expect(await table('billing', 'accounts')).toMatchObject({
      entity: 'party',
      rows_read: 11,
      rows_landed: 10,
      rows_rejected: 1,
      rows_staged: 9,
      rows_rejected_staging: 1,
      records: 9,
    });
    const rej = await wh.all(
      'SELECT stage, reason, rows FROM marts.data_quality_rejections WHERE run_id = $1 ORDER BY stage',
      [RUN_ID],
    );
    expect(rej).toEqual([
      { stage: 'extract', reason: 'wrong number of columns', rows: 1 },
      { stage: 'staging', reason: 'impossible birth_date', rows: 1 },
    ]);
  });

  it('measures duplicates inside a source and the share matched to another source', async () => {
    // billing.accounts: 9 records of 8 customers (Ivan twice); Ivan's 2 records are matched to ERP
    expect(await table('billing', 'accounts')).toMatchObject({
      customers: 8,
      duplicate_records: 1,
      matched_records: 2,
    });
    expect((await table('billing', 'accounts'))?.duplicate_rate).toBeCloseTo(1 / 9, 10);
    expect(await table('erp', 'customers')).toMatchObject({
      records: 3,
      customers: 3,
      duplicate_records: 0,
      matched_records: 1,
    });
  });

  it('measures the share of events linked to a customer', async () => {
    expect(await table('cc', 'calls')).toMatchObject({
      entity: 'interaction',
      records: 12,
      linked_records: 4,
    });
    expect((await table('erp', 'orders'))?.linked_share).toBe(0.75);
    expect(await table('web', 'access_log')).toMatchObject({ linked_records: 6, linked_share: 1 }); // the bot hit is not counted
  });

  it('reports field completeness for mapped fields only', async () => {
    const fields = await wh.all(
      "SELECT field, filled, records FROM marts.data_quality_fields WHERE source = 'billing' AND source_table = 'accounts' ORDER BY field",
    );
    const by = Object.fromEntries(fields.map((f) => [f.field, [f.filled, f.records]]));
    expect(by.email).toEqual([7, 9]); // Fay and Ivan's second account have none
    expect(by.phone).toEqual([9, 9]);
    expect(by.birth_date).toBeUndefined(); // not mapped for billing.accounts
    expect(by.web_user_id).toBeUndefined();
  });

  it('counts customers by the number of systems that know them', async () => {
    const rows = await wh.all(
      'SELECT systems, customers FROM marts.data_quality_systems WHERE run_id = $1 ORDER BY systems',
      [RUN_ID],
    );
    // two systems: Anna, Gus, Hana (billing + contact centre), Ivan (billing + ERP), Igor (ERP + web)
    expect(rows).toEqual([
      { systems: 1, customers: 4 },
      { systems: 2, customers: 5 },
    ]);
  });

  it('keeps one set of rows per run when the marts are rebuilt', async () => {
    const before = await wh.scalar('SELECT count(*) FROM marts.data_quality');
    await buildMarts(wh, {
      runId: RUN_ID,
      asOf: now,
      complaintDays: 30,
      segments: [],
      sourceTables: SOURCE_TABLES,
      only: ['data_quality'],
    });
    expect(await wh.scalar('SELECT count(*) FROM marts.data_quality')).toBe(before);
    await wh.run(
      "INSERT INTO meta.runs (run_id, status, started_at, trigger) VALUES ('r-fixture-2', 'running', current_timestamp, 'cli')",
    );
    await buildMarts(wh, {
      runId: 'r-fixture-2',
      asOf: now,
      complaintDays: 30,
      segments: [],
      sourceTables: SOURCE_TABLES,
      only: ['data_quality'],
    });
    expect(await wh.scalar('SELECT count(DISTINCT run_id) FROM marts.data_quality')).toBe(2);
    expect(
      (
        await wh.one(
          "SELECT rows_read FROM marts.data_quality WHERE run_id = 'r-fixture-2' AND source = 'billing' AND source_table = 'accounts'",
        )
      )?.rows_read,
    ).toBeNull();
  });
});
