import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CdwConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { configWith, rawTable, runTransform, source, table } from './fixtures.ts';
import { snapshotStaging, stagingDifferences } from './staging-snapshot.ts';

const L1 = { load: 'r1/billing.customers', at: '2024-03-01T02:00:00Z' };
const L2 = { load: 'r2/billing.customers', at: '2024-03-02T02:00:00Z' };
const L3 = { load: 'r3/billing.customers', at: '2024-03-03T02:00:00Z' };
const W1 = { load: 'r1/web.access', at: '2024-03-01T02:00:00Z' };
const W2 = { load: 'r2/web.access', at: '2024-03-02T02:00:00Z' };

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

const CUSTOMERS = ['id', 'name', 'email', 'phone', 'updated'];
const HITS = ['hit', 'ts', 'cookie', 'uid', 'url', 'ua'];

function config(opts: { web?: boolean; emailColumn?: string } = {}): CdwConfig {
  return configWith([
    source(
      'billing',
      [
        table(
          'billing',
          'customers',
          'party',
          {
            record_key: 'id',
            full_name: 'name',
            email: opts.emailColumn ?? 'email',
            phone: 'phone',
            updated_at: 'updated',
          },
          { cursor: { column: 'updated', lookbackSeconds: 0 } },
        ),
      ],
      { defaultCountry: 'RU' },
    ),
    ...(opts.web === false
      ? []
      : [
          source('web', [
            table('web', 'access', 'web_hit', {
              record_key: 'hit',
              occurred_at: 'ts',
              cookie_id: 'cookie',
              user_id: 'uid',
              url: 'url',
              user_agent: 'ua',
            }),
          ]),
        ]),
  ]);
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0';

/** Tonight's staging equals what a full refresh of the same raw rows gives. */
async function expectSameAsFullRefresh(cfg: CdwConfig): Promise<void> {
  await snapshotStaging(wh, 'incremental');
  const full = await runTransform(wh, cfg, { fullRefresh: true });
  expect(full.status).toBe('succeeded');
  expect(await stagingDifferences(wh, { schema: 'incremental' })).toEqual({});
}

async function night1(): Promise<void> {
  await rawTable(wh, 'billing__customers', CUSTOMERS, [
    { ...L1, values: ['1', 'Иванов Иван', 'ivan@mail.ru', '+74951234567', '2024-02-01 10:00'] },
    { ...L1, values: ['2', 'Петрова Анна', 'anna@mail.ru', '+79165551234', '2024-02-01 11:00'] },
    { ...L1, values: ['3', 'Smith John', 'john@example.com', null, '2024-02-01 12:00'] },
  ]);
  await rawTable(wh, 'web__access', HITS, [
    { ...W1, values: ['h1', '2024-02-29T10:00:00Z', 'c1', null, '/a', UA] },
    { ...W1, values: ['h2', '2024-02-29T11:00:00Z', 'c1', 'u1', '/b', UA] },
    { ...W1, values: ['h3', '2024-02-29T10:00:00Z', 'c2', null, '/c', UA] },
  ]);
}

describe('incremental transform', () => {
  it('restages only the keys with new raw rows, and equals a full refresh night after night', async () => {
    await night1();
    const first = await runTransform(wh, config());
    expect(first.status).toBe('succeeded');
    expect(first.steps.find((s) => s.source === 'billing.customers')?.error).toBe(
      'restaged whole: staging.party_records does not exist yet',
    );
    await expectSameAsFullRefresh(config());

    // night 2: Anna changes, John is deleted, a new customer, and a late row for Ivan that is
    // older (by cursor) than the version staged: Ivan stays as he was
    await rawTable(
      wh,
      'billing__customers',
      CUSTOMERS,
      [
        {
          ...L2,
          values: ['2', 'Петрова Анна', 'anna.p@mail.ru', '+79165551234', '2024-03-01 09:00'],
        },
        { ...L2, values: ['3', null, null, null, null], deleted: true },
        { ...L2, values: ['4', 'Brown Mary', 'mary@example.com', null, '2024-03-01 10:00'] },
        { ...L2, values: ['1', 'Иванов И.', 'old@mail.ru', null, '2024-01-15 10:00'] },
      ],
      { append: true },
    );
    // a late hit between c1's two sessions joins them (gaps of 30 minutes, not over)
    await rawTable(
      wh,
      'web__access',
      HITS,
      [{ ...W2, values: ['h4', '2024-02-29T10:30:00Z', 'c1', null, '/late', UA] }],
      { append: true },
    );
    const second = await runTransform(wh, config());
    expect(second.status).toBe('succeeded');
    expect(second.steps.find((s) => s.source === 'billing.customers')).toMatchObject({
      rowsIn: 3,
      rowsOut: 3,
      error: 'incremental: 3 changed records restaged',
    });
    expect(second.steps.find((s) => s.source === 'web.access')).toMatchObject({ rowsIn: 1 });
    expect(
      await wh.all(`SELECT record_key, email FROM staging.party_records ORDER BY record_key`),
    ).toEqual([
      { record_key: '1', email: 'ivan@mail.ru' },
      { record_key: '2', email: 'anna.p@mail.ru' },
      { record_key: '4', email: 'mary@example.com' },
    ]);
    expect(
      await wh.all(
        `SELECT cookie_id, hits, user_id FROM staging.web_sessions ORDER BY cookie_id, started_at`,
      ),
    ).toEqual([
      { cookie_id: 'c1', hits: 3, user_id: 'u1' },
      { cookie_id: 'c2', hits: 1, user_id: null },
    ]);
    await expectSameAsFullRefresh(config());

    // night 3: John comes back; nothing else changes
    await rawTable(
      wh,
      'billing__customers',
      CUSTOMERS,
      [{ ...L3, values: ['3', 'Smith John', 'john@example.com', null, '2024-03-02 12:00'] }],
      { append: true },
    );
    const third = await runTransform(wh, config());
    expect(third.steps.find((s) => s.source === 'billing.customers')).toMatchObject({
      rowsIn: 1,
    });
    expect(third.steps.find((s) => s.source === 'web.access')).toMatchObject({ rowsIn: 0 });
    expect(await wh.scalar(`SELECT count(*) FROM staging.party_records`)).toBe(4);
    await expectSameAsFullRefresh(config());
  });

  it('a late row for an old key lands behind the versions staged nights before', async () => {
    await night1();
    await runTransform(wh, config());
    // night 2: Anna's second version (cursor 1 March), staged
    await rawTable(
      wh,
      'billing__customers',
      CUSTOMERS,
      [{ ...L2, values: ['2', 'Петрова Анна', 'anna.2@mail.ru', null, '2024-03-01 09:00'] }],
      { append: true },
    );
    await runTransform(wh, config());
    // night 3: a row for Anna older than night 2's (15 February) but newer than night 1's, and
    // one for Ivan newer than his: Anna keeps night 2's version, Ivan takes the new one; the
    // versions are found from the keys noted when they were staged
    await rawTable(
      wh,
      'billing__customers',
      CUSTOMERS,
      [
        { ...L3, values: ['2', 'Петрова Анна', 'anna.late@mail.ru', null, '2024-02-15 09:00'] },
        { ...L3, values: ['1', 'Иванов Иван', 'ivan.3@mail.ru', null, '2024-03-02 09:00'] },
      ],
      { append: true },
    );
    const third = await runTransform(wh, config());
    expect(third.steps.find((s) => s.source === 'billing.customers')).toMatchObject({
      rowsIn: 2,
    });
    expect(
      await wh.all(`SELECT record_key, email FROM staging.party_records ORDER BY record_key`),
    ).toEqual([
      { record_key: '1', email: 'ivan.3@mail.ru' },
      { record_key: '2', email: 'anna.2@mail.ru' },
      { record_key: '3', email: 'john@example.com' },
    ]);
    // every keyed raw row's key is noted once, with its row
    expect(
      await wh.all(
        `SELECT rk, count(*) AS versions FROM meta.transform_keys WHERE raw_table = 'billing__customers' GROUP BY rk ORDER BY rk`,
      ),
    ).toEqual([
      { rk: '1', versions: 2 },
      { rk: '2', versions: 3 },
      { rk: '3', versions: 1 },
    ]);
    await expectSameAsFullRefresh(config());
    expect(
      await wh.scalar(
        `SELECT count(*) FROM meta.transform_keys WHERE raw_table = 'billing__customers'`,
      ),
    ).toBe(6);
  });

  it('restages a table whole when its mapping changes, and drops the rows of a table no longer configured', async () => {
    await night1();
    await runTransform(wh, config());
    const changed = await runTransform(wh, config({ emailColumn: 'phone' }));
    expect(changed.steps.find((s) => s.source === 'billing.customers')).toMatchObject({
      rowsIn: 3,
      error: 'restaged whole: its configuration changed',
    });
    expect(await wh.scalar(`SELECT count(*) FROM staging.party_records WHERE email = phone`)).toBe(
      2,
    );
    await expectSameAsFullRefresh(config({ emailColumn: 'phone' }));

    const noWeb = await runTransform(wh, config({ web: false }));
    expect(noWeb.status).toBe('succeeded');
    for (const t of ['web_hits', 'web_sessions', 'cookie_links'])
      expect(await wh.scalar(`SELECT count(*) FROM staging.${t}`), t).toBe(0);
    await expectSameAsFullRefresh(config({ web: false }));
  });

  it('restages a table whole when raw lost rows since the last run', async () => {
    await night1();
    await runTransform(wh, config());
    await wh.run(`DELETE FROM raw.billing__customers WHERE id = '2'`);
    const run = await runTransform(wh, config());
    expect(run.steps.find((s) => s.source === 'billing.customers')?.error).toBe(
      'restaged whole: raw rows were removed since the last run',
    );
    expect(
      await wh.all(`SELECT record_key FROM staging.party_records ORDER BY record_key`),
    ).toEqual([{ record_key: '1' }, { record_key: '3' }]);
    await expectSameAsFullRefresh(config());
  });

  it('a failed night changes nothing: its keys are restaged by the next successful one', async () => {
    await night1();
    await runTransform(wh, config());
    await rawTable(
      wh,
      'billing__customers',
      CUSTOMERS,
      [{ ...L2, values: ['2', 'Петрова Анна', 'anna.p@mail.ru', null, '2024-03-01 09:00'] }],
      { append: true },
    );
    // a mapping that does not bind fails the table: nothing is published
    const bad = await runTransform(
      wh,
      configWith([
        ...config().sources.filter((s) => s.name === 'web'),
        source('billing', [
          table('billing', 'customers', 'party', { record_key: 'id', email: 'nope' }),
        ]),
      ]),
    );
    expect(bad.status).toBe('failed');
    expect(await wh.scalar(`SELECT email FROM staging.party_records WHERE record_key = '2'`)).toBe(
      'anna@mail.ru',
    );
    const good = await runTransform(wh, config());
    expect(good.steps.find((s) => s.source === 'billing.customers')).toMatchObject({ rowsIn: 1 });
    expect(await wh.scalar(`SELECT email FROM staging.party_records WHERE record_key = '2'`)).toBe(
      'anna.p@mail.ru',
    );
    await expectSameAsFullRefresh(config());
  });
});
