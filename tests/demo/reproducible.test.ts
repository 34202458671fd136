import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { demoFiles, hashDemo } from './read-demo.ts';

describe('demo generator: reproducible from its seed', () => {
  const dirs = [tempDir('cdw-demo-a-'), tempDir('cdw-demo-b-'), tempDir('cdw-demo-c-')];
  const gen = (i: number, seed: number) =>
    generateDemo({ dir: dirs[i]!.dir, customers: 250, nights: 2, seed, logger: silentLogger });

  beforeAll(async () => {
    await gen(0, 7);
    await gen(1, 7);
    await gen(2, 8);
  });
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  it('writes byte-identical files for the same seed', () => {
    expect(demoFiles(dirs[0]!.dir)).toEqual(demoFiles(dirs[1]!.dir));
    expect(hashDemo(dirs[0]!.dir)).toBe(hashDemo(dirs[1]!.dir));
  });

  it('writes a different company for another seed', () => {
    expect(hashDemo(dirs[0]!.dir)).not.toBe(hashDemo(dirs[2]!.dir));
  });

  it('writes every source the demo promises, night by night', () => {
    expect(demoFiles(dirs[0]!.dir)).toEqual([
      'billing/accounts_2026-11-01.csv',
      'billing/accounts_2026-11-02.csv',
      'billing/invoices_2026-11-01.csv',
      'billing/invoices_2026-11-02.csv',
      'billing/payments_2026-11-01.csv',
      'billing/payments_2026-11-02.csv',
      'cdw.yaml',
      'contact_center/calls_2026-11-01.csv',
      'contact_center/calls_2026-11-02.csv',
      'contact_center/tickets_2026-11-01.jsonl',
      'contact_center/tickets_2026-11-02.jsonl',
      'erp/customers_2026-11-01.csv',
      'erp/customers_2026-11-02.csv',
      'erp/sales_orders_2026-11-01.csv',
      'erp/sales_orders_2026-11-02.csv',
      'marketing/campaigns_2026-11-01.csv',
      'marketing/campaigns_2026-11-02.csv',
      'marketing/orders_2026-11-01.csv',
      'marketing/orders_2026-11-02.csv',
      'marketing/sends_2026-11-01.csv',
      'marketing/sends_2026-11-02.csv',
      'nights/index.json',
      'nights/night-001.json',
      'nights/night-002.json',
      'pos/loyalty_cards.csv',
      'pos/sales_2026-11-01.csv',
      'pos/sales_2026-11-02.csv',
      'pos/us/sales_2026-11-01.csv',
      'pos/us/sales_2026-11-02.csv',
      'truth.csv',
      'web/access.log',
      'web/access.log.1',
    ]);
  });

  it('regenerates over an earlier demo folder, and refuses a folder that holds other files', async () => {
    const before = hashDemo(dirs[0]!.dir);
    const { mkdirSync, writeFileSync, existsSync } = await import('node:fs');
    // What a nightly run leaves in the folder goes too.
    mkdirSync(`${dirs[0]!.dir}/.cdw-tmp`);
    writeFileSync(`${dirs[0]!.dir}/warehouse.duckdb`, '');
    await gen(0, 7);
    expect(existsSync(`${dirs[0]!.dir}/warehouse.duckdb`)).toBe(false);
    expect(hashDemo(dirs[0]!.dir)).toBe(before);
    const other = tempDir('cdw-demo-other-');
    try {
      writeFileSync(`${other.dir}/notes.txt`, 'mine');
      await expect(
        generateDemo({ dir: other.dir, customers: 20, nights: 1, seed: 1, logger: silentLogger }),
      ).rejects.toThrow(/not an earlier demo folder/);
    } finally {
      other.cleanup();
    }
  });
});
