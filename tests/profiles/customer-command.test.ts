import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { createUpstreamTables, setParties, type Party } from './upstream-fixture.ts';
import { playNight } from './night.ts';

describe('cdw customer show', () => {
  const tmp = tempDir('cdw-profiles-cli-');
  const cfgFile = path.join(tmp.dir, 'cdw.yaml');

  beforeAll(async () => {
    writeFileSync(cfgFile, 'warehouse:\n  path: w.duckdb\n');
    const wh = await Warehouse.open(path.join(tmp.dir, 'w.duckdb'));
    try {
      await migrate(wh);
      await createUpstreamTables(wh);
      const six: Party = {
        customer: 6,
        source: 'billing',
        key: 'b6',
        first_name: 'Mira',
        last_name: 'Old',
        address: '1 First St',
        city: 'Oslo',
        updated_at: '2024-01-01T00:00:00Z',
      };
      const seven: Party = {
        customer: 7,
        source: 'erp',
        key: 'e7',
        first_name: 'Mira',
        last_name: 'Old',
        email: 'mira@example.com',
        updated_at: '2024-01-01T00:00:00Z',
      };
      const fillers: Party[] = [1, 2, 3, 4].map((n) => ({
        customer: 100 + n,
        source: 'erp',
        key: `f${n}`,
        last_name: `F${n}`,
      }));
      await setParties(wh, [six, seven, ...fillers]);
      await playNight(wh, '2024-03-01T02:00:00Z');
      await setParties(wh, [
        { ...six, address: '2 Second Ave', city: 'Bergen', updated_at: '2024-04-15T00:00:00Z' },
        { ...seven, customer: 6 },
        ...fillers,
      ]);
      await wh.run(
        `INSERT INTO identity.id_history VALUES (7, 6, 'merge', 'r-x', 'same email', TIMESTAMPTZ '2024-05-01 01:00:00+00')`,
      );
      await wh.run(
        `INSERT INTO staging.transactions (txn_uid, party_uid, amount) VALUES ('billing.invoices:1', 'billing.customers:b6', 12.5)`,
      );
      await playNight(wh, '2024-05-01T02:00:00Z');
    } finally {
      wh.close();
    }
  });
  afterAll(() => tmp.cleanup());

  it('prints profile, lineage, history and records of a current id', async () => {
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', cfgFile, 'customer', 'show', '6'], io)).toBe(0);
    const text = io.outText();
    expect(text).toMatch(/^customer 6\nalso recorded under merged ids: 7\n/);
    expect(text).toMatch(/city\s+Bergen\s+billing\.customers:b6\s+most_recent/);
    expect(text).toMatch(
      /email\s+mira@example\.com\s+erp\.customers:e7\s+source_priority>most_recent/,
    );
    expect(text).toMatch(/history \(3 versions\)/);
    expect(text).toMatch(
      /2024-04-15(?: 00:00:00Z)?\s+change\s+email,address\s+billing\.customers\s+Mira Old\s+2 Second Ave\s+Bergen/,
    );
    expect(text).toMatch(/2024-05-01 01:00:00Z\s+new → merged into 6 .* 7\n/);
    expect(text).toMatch(/source records now \(2\)/);
    expect(text).toMatch(/activity: 1 transactions \(amount 12\.50\)/);
  });

  it('resolves a merged id to the survivor and shows a past date', async () => {
    const io = captureIO();
    expect(
      await main(
        ['node', 'cdw', '-c', cfgFile, 'customer', 'show', '7', '--as-of', '2024-04-01'],
        io,
      ),
    ).toBe(0);
    const text = io.outText();
    expect(text).toMatch(/^customer 6 \(id 7 was merged into 6 on 2024-05-01\)/);
    expect(text).toMatch(/profile as of the end of 2024-04-01\n {2}as id 6:/);
    expect(text).toMatch(/city\s+Oslo/);
    expect(text).toMatch(/as id 7:/);
  });

  it('says when an id was never issued, and refuses a bad date as a usage error (64)', async () => {
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', cfgFile, 'customer', 'show', '999'], io)).toBe(1);
    expect(io.errText()).toMatch(/no customer with id 999/);
    const bad = captureIO();
    expect(
      await main(
        ['node', 'cdw', '-c', cfgFile, 'customer', 'show', '6', '--as-of', '1.4.2024'],
        bad,
      ),
    ).toBe(64);
    expect(bad.errText()).toMatch(/--as-of.*expected a date like 2026-03-31/);
  });

  it('prints JSON with --json', async () => {
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', cfgFile, 'customer', 'show', '6', '--json'], io)).toBe(
      0,
    );
    const json = JSON.parse(io.outText()) as {
      customerId: number;
      history: unknown[];
      profile: { city: string }[];
    };
    expect(json.customerId).toBe(6);
    expect(json.history).toHaveLength(3);
    expect(json.profile[0]?.city).toBe('Bergen');
  });
});
