import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate-demo.ts';
import { changeCount, generateChangeNight } from '../../demo/change-night.ts';
import type { NightResult } from '../../demo/manifest.ts';
import { FIRST_ORDINARY_PERSON } from '../../demo/scenarios.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { demoFiles, hashDemo, readCsv, readTruth, type Row } from './read-demo.ts';

const RATE = 0.05;
const CHANGE_DATE = '2026-11-03';

/** sha256 of every file of the folder, by relative path. */
function fileHashes(dir: string): Map<string, string> {
  return new Map(
    demoFiles(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(path.join(dir, f)))
        .digest('hex'),
    ]),
  );
}

describe('demo generator: a change night changes a share of the persons and nothing else', () => {
  const dirs = [tempDir('cdw-demo-change-a-'), tempDir('cdw-demo-change-b-')];
  const dir = dirs[0]!.dir;
  let before: Map<string, string>;
  let night: NightResult;

  beforeAll(async () => {
    for (const d of dirs)
      await generateDemo({
        dir: d.dir,
        customers: 1500,
        nights: 2,
        seed: 11,
        logger: silentLogger,
      });
    before = fileHashes(dir);
    night = await generateChangeNight({ dir, rate: RATE, logger: silentLogger });
    await generateChangeNight({ dir: dirs[1]!.dir, rate: RATE, logger: silentLogger });
  });
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  it('is reproducible: the same demo and rate give byte-identical files', () => {
    expect(hashDemo(dir)).toBe(hashDemo(dirs[1]!.dir));
  });

  it('writes only the changed billing accounts and ERP customers and its manifest', () => {
    const after = fileHashes(dir);
    const added = [...after.keys()].filter((f) => !before.has(f));
    expect(added.sort()).toEqual([
      `billing/accounts_${CHANGE_DATE}.csv`,
      `erp/customers_${CHANGE_DATE}.csv`,
      'nights/night-003.json',
    ]);
    const rewritten = [...before].filter(([f, h]) => after.get(f) !== h).map(([f]) => f);
    // truth.csv, the loyalty cards, the web log and every earlier extract are as they were.
    expect(rewritten).toEqual(['nights/index.json']);
    expect(night.truthRows).toBe(0);
    expect(night.badRows).toEqual([]);
  });

  it('changes the drawn share of the persons who hold an account or an ERP customer', () => {
    const truth = readTruth(dir);
    const owner = new Map(truth.map((t) => [`${t.source}:${t.record_key}`, t.person_id]));
    const ordinary = (id: string) => Number(id.slice(1)) > FIRST_ORDINARY_PERSON;
    const eligible = new Set(
      truth.filter((t) => t.source !== 'pos' && ordinary(t.person_id)).map((t) => t.person_id),
    );
    const changed = new Set([
      ...changedRows('billing', 'accounts', 'account_id').map((r) =>
        owner.get(`billing:${r.account_id}`)!,
      ),
      ...changedRows('erp', 'customers', 'customer_no').map((r) =>
        owner.get(`erp:${r.customer_no}`)!,
      ),
    ]);
    expect(changeCount(night.counts)).toBe(changed.size);
    for (const p of changed) expect(eligible.has(p), p).toBe(true);
    // Drawn per person: within four standard deviations of the rate (deterministic for the seed).
    const expected = RATE * eligible.size;
    expect(Math.abs(changed.size - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(night.counts['changes.moved']).toBeGreaterThan(0);
    expect(night.counts['changes.new_contact']).toBeGreaterThan(0);
    expect(night.counts['changes.married']).toBeGreaterThan(0);
  });

  it('writes each changed record with a new address, phone, e-mail or name, updated that night', () => {
    for (const [system, table, key] of [
      ['billing', 'accounts', 'account_id'],
      ['erp', 'customers', 'customer_no'],
    ] as const) {
      const latest = new Map<string, Row>();
      for (const date of ['2026-11-01', '2026-11-02']) {
        for (const r of readCsv(path.join(dir, system, `${table}_${date}.csv`)))
          latest.set(r[key]!, r);
      }
      const rows = changedRows(system, table, key);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const was = latest.get(r[key]!);
        expect(was, r[key]).toBeDefined();
        const what = (x: Row) => [x.address, x.phone, x.email, x.last_name, x.name].join('|');
        expect(what(r), r[key]).not.toBe(what(was!));
        expect(r.updated_at!.slice(0, 10)).toBe(CHANGE_DATE);
      }
    }
  });

  function changedRows(system: string, table: string, key: string): Row[] {
    return readCsv(path.join(dir, system, `${table}_${CHANGE_DATE}.csv`)).filter(
      (r) => r[key] !== undefined,
    );
  }
});
