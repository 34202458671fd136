import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { readCards, readNightly, readTruth, readCsv, type TruthRow } from './read-demo.ts';

describe('demo generator: truth.csv covers every party record', () => {
  const tmp = tempDir('cdw-demo-truth-');
  let result: DemoResult;
  let truth: TruthRow[];

  beforeAll(async () => {
    result = await generateDemo({
      dir: tmp.dir,
      customers: 400,
      nights: 3,
      seed: 11,
      logger: silentLogger,
    });
    truth = readTruth(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  const keysIn = (source: string, table: string) =>
    truth.filter((t) => t.source === source && t.source_table === table).map((t) => t.record_key);

  it('has each (source, table, key) once, only for the party tables', () => {
    const seen = new Set<string>();
    for (const t of truth) {
      const k = `${t.source}.${t.source_table}:${t.record_key}`;
      expect(seen.has(k), k).toBe(false);
      seen.add(k);
    }
    expect([...new Set(truth.map((t) => `${t.source}.${t.source_table}`))].sort()).toEqual([
      'billing.accounts',
      'erp.customers',
      'pos.loyalty_cards',
    ]);
    expect(truth.length).toBe(result.nights.reduce((s, n) => s + n.truthRows, 0));
  });

  it('names exactly the billing accounts in all nightly extracts', () => {
    const keys = new Set(readNightly(tmp.dir, 'billing', 'accounts_').map((r) => r.account_id!));
    expect(new Set(keysIn('billing', 'accounts'))).toEqual(keys);
  });

  it('names exactly the ERP customers in all nightly extracts, the broken line included', () => {
    const keys = new Set(readNightly(tmp.dir, 'erp', 'customers_').map((r) => r.customer_no!));
    expect(new Set(keysIn('erp', 'customers'))).toEqual(keys);
  });

  it('names exactly the loyalty cards of the last snapshot', () => {
    expect(new Set(keysIn('pos', 'loyalty_cards'))).toEqual(
      new Set(readCards(tmp.dir).map((r) => r.card_no!)),
    );
  });

  it('keeps a person in one household, and ids well formed', () => {
    const home = new Map<string, string>();
    for (const t of truth) {
      expect(t.person_id).toMatch(/^P\d{7}$/);
      expect(t.household_id).toMatch(/^H\d{7}$/);
      expect(home.get(t.person_id) ?? t.household_id).toBe(t.household_id);
      home.set(t.person_id, t.household_id);
    }
    expect(home.size).toBeGreaterThan(300);
  });

  it('adds the records created on later nights, night by night', () => {
    expect(result.nights.map((n) => n.night)).toEqual([1, 2, 3]);
    expect(result.nights[0]!.truthRows).toBeGreaterThan(500);
    const index = readCsv(path.join(tmp.dir, 'truth.csv')).length;
    expect(index).toBe(truth.length);
    expect(result.nights[1]!.persons).toBeGreaterThan(result.nights[0]!.persons);
  });
});
