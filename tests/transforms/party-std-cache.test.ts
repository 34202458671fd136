import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { configWith, rawTable, runTransform, source, table } from './fixtures.ts';
import { partyStdVersion } from '../../transforms/staging/party-std-cache.ts';

const L1 = { load: 'l1', at: '2024-03-01T02:00:00Z' };
const L2 = { load: 'l2', at: '2024-03-02T02:00:00Z' };

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

const config = () =>
  configWith([
    source(
      'billing',
      [
        table('billing', 'customers', 'party', {
          record_key: 'id',
          full_name: 'name',
          email: 'email',
          phone: 'phone',
          address: 'addr',
          city: 'city',
        }),
      ],
      {
        defaultCountry: 'RU',
        timezone: 'Europe/Moscow',
      },
    ),
  ]);

async function land(): Promise<void> {
  await rawTable(
    wh,
    'billing__customers',
    ['id', 'name', 'email', 'phone', 'addr', 'city'],
    [
      {
        ...L1,
        values: [
          '1',
          'Иванов Иван Иванович',
          'Ivan.Ivanov@Mail.RU ',
          '8 (495) 123-45-67',
          'ул. Ленина, д. 5, кв. 12',
          'Москва',
        ],
      },
      {
        ...L1,
        values: ['2', 'Петрова Анна', 'anna@example.com', '+7 916 555 12 34', null, 'Москва'],
      },
      // the same inputs as customer 2 under another key: one cache entry
      {
        ...L1,
        values: ['3', 'Петрова Анна', 'anna@example.com', '+7 916 555 12 34', null, 'Москва'],
      },
    ],
  );
}

const PARTY =
  'SELECT * EXCLUDE (_load_id, _loaded_at) FROM staging.party_records ORDER BY party_uid';

describe('party standardisation cache', () => {
  it('a night with unchanged records stages exactly what computing them gives, from the cache', async () => {
    await land();
    expect((await runTransform(wh, config())).status).toBe('succeeded');
    const first = await wh.all(PARTY);
    expect(
      await wh.all('SELECT version, count(*) AS n FROM meta.party_std_cache GROUP BY version'),
    ).toEqual([{ version: partyStdVersion(), n: 2 }]);
    expect((await runTransform(wh, config())).status).toBe('succeeded');
    expect(await wh.all(PARTY)).toEqual(first);
    expect(first.map((r) => r.phone_e164)).toEqual([
      '+74951234567',
      '+79165551234',
      '+79165551234',
    ]);
  });

  it('is used by input: a cached part is served while the inputs are the same, recomputed when they change, and pruned when no record has them', async () => {
    await land();
    await runTransform(wh, config());
    // Mark what the cache holds for customer 1's inputs: the next run must serve the marked value.
    await wh.run(`UPDATE meta.party_std_cache SET phone = {'e164': '+70000000000', 'type': 'fixed_line', 'valid': true}
                  WHERE phone.e164 = '+74951234567'`);
    // an incremental night with no change restages nothing; a full refresh restages from the cache
    await runTransform(wh, config());
    expect(
      await wh.scalar("SELECT phone_e164 FROM staging.party_records WHERE record_key = '1'"),
    ).toBe('+74951234567');
    await runTransform(wh, config(), { fullRefresh: true });
    expect(
      await wh.scalar("SELECT phone_e164 FROM staging.party_records WHERE record_key = '1'"),
    ).toBe('+70000000000');
    // Customer 1 changes: new inputs, computed afresh; the old entry is no longer used and goes.
    await rawTable(
      wh,
      'billing__customers',
      ['id', 'name', 'email', 'phone', 'addr', 'city'],
      [
        {
          ...L2,
          values: [
            '1',
            'Иванов Иван Иванович',
            'ivan@example.com',
            '8 (495) 123-45-67',
            'ул. Ленина, д. 5, кв. 12',
            'Москва',
          ],
        },
      ],
      { append: true },
    );
    await runTransform(wh, config());
    expect(
      await wh.scalar("SELECT phone_e164 FROM staging.party_records WHERE record_key = '1'"),
    ).toBe('+74951234567');
    // an incremental night keeps the entries of records it did not restage; a full refresh prunes
    expect(
      await wh.scalar(
        "SELECT count(*) FROM meta.party_std_cache WHERE phone.e164 = '+70000000000'",
      ),
    ).toBe(1);
    await runTransform(wh, config(), { fullRefresh: true });
    expect(
      await wh.scalar(
        "SELECT count(*) FROM meta.party_std_cache WHERE phone.e164 = '+70000000000'",
      ),
    ).toBe(0);
    expect(await wh.scalar('SELECT count(*) FROM meta.party_std_cache')).toBe(2);
  });

  it('an entry written by other code (another version of the standardisers) is never served: it is re-standardised when read', async () => {
    await land();
    await runTransform(wh, config());
    await wh.run(
      `UPDATE meta.party_std_cache SET version = 'older-cdw', phone = {'e164': '+70000000000', 'type': 'fixed_line', 'valid': true}`,
    );
    await runTransform(wh, config(), { fullRefresh: true });
    expect(
      await wh.all(
        "SELECT DISTINCT phone_e164 FROM staging.party_records WHERE record_key IN ('2', '3')",
      ),
    ).toEqual([{ phone_e164: '+79165551234' }]);
    expect(await wh.all('SELECT DISTINCT version FROM meta.party_std_cache')).toEqual([
      { version: partyStdVersion() },
    ]);
  });

  it('survives an upgrade: stale entries stay until their inputs are read, and only those are re-standardised', async () => {
    await land();
    await runTransform(wh, config());
    await wh.run(
      `UPDATE meta.party_std_cache SET version = 'older-cdw', phone = {'e164': '+70000000000', 'type': 'fixed_line', 'valid': true}`,
    );
    // Customer 1 changes (new inputs) on an incremental night: only its parts are computed.
    await rawTable(
      wh,
      'billing__customers',
      ['id', 'name', 'email', 'phone', 'addr', 'city'],
      [
        {
          ...L2,
          values: ['1', 'Иванов Иван', 'ivan@example.com', '8 (495) 123-45-67', null, 'Москва'],
        },
      ],
      { append: true },
    );
    expect((await runTransform(wh, config())).status).toBe('succeeded');
    expect(
      await wh.scalar("SELECT phone_e164 FROM staging.party_records WHERE record_key = '1'"),
    ).toBe('+74951234567');
    expect(
      await wh.all(
        'SELECT version = $1 AS current, count(*) AS n FROM meta.party_std_cache GROUP BY ALL ORDER BY 1',
        [partyStdVersion()],
      ),
    ).toEqual([
      { current: false, n: 2 },
      { current: true, n: 1 },
    ]);
    // Reading the stale inputs again (a full refresh reads them all) recomputes them, never serves them.
    await runTransform(wh, config(), { fullRefresh: true });
    expect(
      await wh.all('SELECT DISTINCT phone_e164 FROM staging.party_records ORDER BY 1'),
    ).toEqual([{ phone_e164: '+74951234567' }, { phone_e164: '+79165551234' }]);
    expect(await wh.all('SELECT DISTINCT version FROM meta.party_std_cache')).toEqual([
      { version: partyStdVersion() },
    ]);
    expect(await wh.scalar('SELECT count(*) FROM meta.party_std_cache')).toBe(2);
  });
});
