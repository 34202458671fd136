import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { configWith, rawTable, runTransform, source, table } from './fixtures.ts';

const L1 = { load: 'l1', at: '2024-03-01T02:00:00Z' };
const L2 = { load: 'l2', at: '2024-03-02T02:00:00Z' };

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(() => wh.close());

/** A billing source (parties + invoices, Moscow time, RU phones) and a contact centre (calls, by phone). */
async function landBillingAndCalls(): Promise<void> {
  await rawTable(
    wh,
    'billing__customers',
    ['id', 'name', 'email', 'phone', 'born', 'city', 'updated'],
    [
      {
        ...L1,
        values: [
          '1',
          'Иванов Иван Иванович',
          'Ivan.Ivanov@Mail.RU ',
          '8 (495) 123-45-67',
          '04.03.1980',
          'Москва',
          '2024-02-01 10:00:00',
        ],
      },
      {
        ...L1,
        values: [
          '2',
          'Петрова Анна',
          'anna@example.com',
          '+7 916 555 12 34',
          '1985-07-20',
          'Москва',
          '2024-02-01 11:00:00',
        ],
      },
      { ...L1, values: ['3', 'Smith John', null, null, null, null, '2024-02-01 12:00:00'] },
      // a later version of customer 2 wins
      {
        ...L2,
        values: [
          '2',
          'Петрова Анна Сергеевна',
          'anna.p@example.com',
          '+7 916 555 12 34',
          '1985-07-20',
          'Москва',
          '2024-03-01 09:30:00',
        ],
      },
      // customer 3 was deleted in the source
      { ...L2, values: ['3', null, null, null, null, null, null], deleted: true },
    ],
  );
  await rawTable(
    wh,
    'billing__invoices',
    ['no', 'cust', 'total', 'cur', 'issued'],
    [
      { ...L1, values: ['INV-1', '1', '1 234,50', 'rub', '01.02.2024 10:00'] },
      { ...L1, values: ['INV-2', '2', '99.90', 'RUB', '2024-02-15T08:00:00+03:00'] },
    ],
  );
  await rawTable(
    wh,
    'cc__calls',
    ['call_id', 'ani', 'started', 'secs', 'complaint', 'dir'],
    [{ ...L1, values: ['c1', '+74951234567', '2024-02-20 09:15:00', '125', 'да', 'входящий'] }],
  );
}

function billingConfig() {
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
            email: 'email',
            phone: 'phone',
            birth_date: 'born',
            city: 'city',
            updated_at: 'updated',
          },
          {
            cursor: { column: 'updated', lookbackSeconds: 0 },
            timezone: 'Europe/Moscow',
          },
        ),
        table(
          'billing',
          'invoices',
          'transaction',
          {
            record_key: 'no',
            party_key: 'cust',
            amount: 'total',
            currency: 'cur',
            occurred_at: 'issued',
          },
          {
            timezone: 'Europe/Moscow',
            dateFormats: ['dd.MM.yyyy HH:mm'],
          },
        ),
      ],
      { defaultCountry: 'RU', timezone: 'Europe/Moscow' },
    ),
    source(
      'cc',
      [
        table('cc', 'calls', 'interaction', {
          record_key: 'call_id',
          phone: 'ani',
          opened_at: 'started',
          duration_s: 'secs',
          is_complaint: 'complaint',
          direction: 'dir',
          channel: "'phone'",
        }),
      ],
      { defaultCountry: 'RU', timezone: 'UTC' },
    ),
  ]);
}

describe('transform step', () => {
  it('stages parties and events: latest version wins, tombstoned keys are left out, times in UTC, phones in E.164', async () => {
    await landBillingAndCalls();
    const run = await runTransform(wh, billingConfig());
    expect(run.status, run.log.join('\n')).toBe('succeeded');

    const parties = await wh.all(
      `SELECT party_uid, first_name, middle_name, last_name, first_key, last_key, email_norm, email_key, phone_e164, phone_valid, birth_date::VARCHAR AS born, updated_at
       FROM staging.party_records ORDER BY party_uid`,
    );
    expect(parties.map((p) => p.party_uid)).toEqual(['billing.customers:1', 'billing.customers:2']);
    expect(parties[0]).toMatchObject({
      first_name: 'Иван',
      middle_name: 'Иванович',
      last_name: 'Иванов',
      first_key: 'ivan',
      last_key: 'ivanov',
      email_norm: 'ivan.ivanov@mail.ru',
      phone_e164: '+74951234567',
      phone_valid: true,
      born: '1980-03-04',
    });
    // updated 2024-03-01 09:30 in Moscow (UTC+3)
    expect(parties[1]).toMatchObject({
      email_norm: 'anna.p@example.com',
      middle_name: 'Сергеевна',
    });
    expect((parties[1]!.updated_at as Date).toISOString()).toBe('2024-03-01T06:30:00.000Z');

    const txns = await wh.all(
      `SELECT txn_uid, party_uid, amount, currency, occurred_at FROM staging.transactions ORDER BY txn_uid`,
    );
    expect(txns).toEqual([
      {
        txn_uid: 'billing.invoices:INV-1',
        party_uid: 'billing.customers:1',
        amount: 1234.5,
        currency: 'RUB',
        occurred_at: new Date('2024-02-01T07:00:00Z'),
      },
      {
        txn_uid: 'billing.invoices:INV-2',
        party_uid: 'billing.customers:2',
        amount: 99.9,
        currency: 'RUB',
        occurred_at: new Date('2024-02-15T05:00:00Z'),
      },
    ]);

    const calls = await wh.all(
      `SELECT interaction_uid, party_uid, phone_e164, channel, direction, is_complaint, duration_s, opened_at FROM staging.interactions`,
    );
    expect(calls).toEqual([
      {
        interaction_uid: 'cc.calls:c1',
        party_uid: null,
        phone_e164: '+74951234567',
        channel: 'phone',
        direction: 'inbound',
        is_complaint: true,
        duration_s: 125,
        opened_at: new Date('2024-02-20T09:15:00Z'),
      },
    ]);

    const units = await wh.all(
      `SELECT source, status, rows_in, rows_out, rows_rejected FROM meta.run_steps WHERE step = 'transform' AND source <> '' ORDER BY source`,
    );
    expect(units).toEqual([
      {
        source: 'billing.customers',
        status: 'succeeded',
        rows_in: 2,
        rows_out: 2,
        rows_rejected: 0,
      },
      {
        source: 'billing.invoices',
        status: 'succeeded',
        rows_in: 2,
        rows_out: 2,
        rows_rejected: 0,
      },
      { source: 'cc.calls', status: 'succeeded', rows_in: 1, rows_out: 1, rows_rejected: 0 },
    ]);
    const work = await wh.all(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'staging' ORDER BY 1`,
    );
    expect(work.map((w) => w.table_name)).toEqual([
      'campaign_contacts',
      'campaigns',
      'cookie_links',
      'interactions',
      'party_records',
      'transactions',
      'web_hits',
      'web_sessions',
    ]);
  });

  it('rejects rows it cannot type with a reason and the raw row, keeps rows with a bad optional value, and the balance holds', async () => {
    await rawTable(
      wh,
      'pos__sales',
      ['id', 'card', 'amount', 'at'],
      [
        { ...L1, values: ['s1', 'C1', '10.00', '2024-02-30 10:00:00'] }, // impossible date in a required field
        { ...L1, values: ['s2', 'C1', 'ten', '2024-02-10 10:00:00'] }, // money that is not a number
        { ...L1, values: [null, 'C1', '5', '2024-02-10 10:00:00'] }, // no key
        { ...L1, values: ['s4', 'C2', '', '2024-02-10 11:00:00'] }, // empty amount is NULL, not a rejection
        { ...L1, values: ['s5', 'C2', '7,5', '2024-02-10 12:00:00'] },
      ],
    );
    await rawTable(
      wh,
      'pos__members',
      ['card_no', 'first', 'last', 'born', 'opt_in'],
      [
        { ...L1, values: ['C1', 'Bob', 'Smith', '0850-01-01', 'maybe'] }, // implausible birth date, unreadable flag: kept, values NULL
        { ...L1, values: ['C2', 'Liz', 'Taylor', '31.02.1990', 'Y'] }, // impossible date: kept, NULL
      ],
    );
    const config = configWith([
      source('pos', [
        table('pos', 'sales', 'transaction', {
          record_key: 'id',
          card: 'card',
          amount: 'amount',
          occurred_at: 'at',
        }),
        table('pos', 'members', 'party', {
          record_key: 'card_no',
          loyalty_card: 'card_no',
          first_name: 'first',
          last_name: 'last',
          birth_date: 'born',
          consent_email: 'opt_in',
        }),
      ]),
    ]);
    const run = await runTransform(wh, config);
    expect(run.status, run.log.join('\n')).toBe('succeeded');

    expect(await wh.all(`SELECT txn_uid, amount FROM staging.transactions ORDER BY 1`)).toEqual([
      { txn_uid: 'pos.sales:s4', amount: null },
      { txn_uid: 'pos.sales:s5', amount: 7.5 },
    ]);
    const rejected = await wh.all(
      `SELECT location, reason, raw::JSON->>'amount' AS raw_amount, stage FROM meta.rejected_rows WHERE source_table = 'sales' ORDER BY location NULLS LAST`,
    );
    expect(rejected).toEqual([
      {
        location: 's1',
        reason: expect.stringMatching(/^occurred_at: not a valid timestamp/),
        raw_amount: '10.00',
        stage: 'staging',
      },
      { location: 's2', reason: 'amount: not a number', raw_amount: 'ten', stage: 'staging' },
      { location: null, reason: 'record_key: missing', raw_amount: '5', stage: 'staging' },
    ]);
    for (const r of rejected) expect(r.reason).not.toMatch(/ten|2024-02-30/);

    expect(
      await wh.all(
        `SELECT record_key, given_key, birth_date, consent_email FROM staging.party_records ORDER BY 1`,
      ),
    ).toEqual([
      { record_key: 'C1', given_key: expect.any(String), birth_date: null, consent_email: null },
      { record_key: 'C2', given_key: expect.any(String), birth_date: null, consent_email: true },
    ]);
    const nulled = await wh.all(
      `SELECT location, reason FROM meta.rejected_rows WHERE stage = 'staging_value' ORDER BY location, reason`,
    );
    expect(nulled).toEqual([
      { location: 'C1', reason: expect.stringMatching(/^birth_date: impossible birth date/) },
      { location: 'C1', reason: expect.stringMatching(/^consent_email: not a yes\/no value/) },
      { location: 'C2', reason: expect.stringMatching(/^birth_date: not a valid date/) },
    ]);

    const units = await wh.all(
      `SELECT source, rows_in, rows_out, rows_rejected FROM meta.run_steps WHERE step = 'transform' AND source <> '' ORDER BY source`,
    );
    expect(units).toEqual([
      { source: 'pos.members', rows_in: 2, rows_out: 2, rows_rejected: 0 },
      { source: 'pos.sales', rows_in: 5, rows_out: 2, rows_rejected: 3 },
    ]);
  });

  it('flags bots, splits sessions after 30 idle minutes and links cookies to logged-in users', async () => {
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36';
    const hit = (
      key: string,
      at: string,
      cookie: string | null,
      user: string | null,
      url: string,
      ua: string,
      status = '200',
    ) => ({
      ...L1,
      values: [key, at, '10.0.0.1', cookie, user, 'GET', url, status, ua],
    });
    await rawTable(
      wh,
      'web__access',
      ['k', 'ts', 'ip', 'cookie', 'uid', 'method', 'url', 'status', 'ua'],
      [
        hit('h1', '2024-03-01T10:00:00Z', 'ck1', null, '/', chrome),
        hit('h2', '2024-03-01T10:10:00Z', 'ck1', null, '/static/app.js', chrome),
        hit('h3', '2024-03-01T10:29:00Z', 'ck1', 'u42', '/account?tab=1', chrome), // logs in
        hit('h4', '2024-03-01T11:00:00Z', 'ck1', null, '/products', chrome), // 31 minutes idle: new session
        hit('h5', '2024-03-01T11:20:00Z', 'ck1', null, 'https://shop.example/cart#top', chrome),
        hit(
          'h6',
          '2024-03-01T10:05:00Z',
          null,
          null,
          '/',
          'Googlebot/2.1 (+http://www.google.com/bot.html)',
        ),
        hit('h7', '2024-03-01T10:06:00Z', 'ck9', null, '/', 'InternalAuditTool/1.0'), // a bot by the config's list
      ],
    );
    const config = configWith(
      [
        source('web', [
          table('web', 'access', 'web_hit', {
            record_key: 'k',
            occurred_at: 'ts',
            ip: 'ip',
            cookie_id: 'cookie',
            user_id: 'uid',
            method: 'method',
            url: 'url',
            status: 'status',
            user_agent: 'ua',
          }),
        ]),
      ],
      { transforms: { botUserAgents: ['internalaudittool'] } },
    );
    const run = await runTransform(wh, config);
    expect(run.status, run.log.join('\n')).toBe('succeeded');

    const hits = await wh.all(
      `SELECT record_key, path, is_bot, is_page, session_id FROM staging.web_hits ORDER BY record_key`,
    );
    expect(hits.map((h) => [h.record_key, h.path, h.is_bot, h.is_page])).toEqual([
      ['h1', '/', false, true],
      ['h2', '/static/app.js', false, false],
      ['h3', '/account', false, true],
      ['h4', '/products', false, true],
      ['h5', '/cart', false, true],
      ['h6', '/', true, true],
      ['h7', '/', true, true],
    ]);
    const sid = (k: string) => hits.find((h) => h.record_key === k)!.session_id;
    expect(sid('h1')).toBe(sid('h3'));
    expect(sid('h4')).toBe(sid('h5'));
    expect(sid('h4')).not.toBe(sid('h3'));

    const sessions = await wh.all(
      `SELECT session_id, cookie_id, user_id, user_id_from, hits, page_views, landing_path, is_bot, started_at, ended_at FROM staging.web_sessions ORDER BY started_at, session_id`,
    );
    expect(sessions).toEqual([
      {
        session_id: sid('h1'),
        cookie_id: 'ck1',
        user_id: 'u42',
        user_id_from: 'session',
        hits: 3,
        page_views: 2,
        landing_path: '/',
        is_bot: false,
        started_at: new Date('2024-03-01T10:00:00Z'),
        ended_at: new Date('2024-03-01T10:29:00Z'),
      },
      {
        session_id: sid('h6'),
        cookie_id: null,
        user_id: null,
        user_id_from: null,
        hits: 1,
        page_views: 1,
        landing_path: '/',
        is_bot: true,
        started_at: new Date('2024-03-01T10:05:00Z'),
        ended_at: new Date('2024-03-01T10:05:00Z'),
      },
      {
        session_id: sid('h7'),
        cookie_id: 'ck9',
        user_id: null,
        user_id_from: null,
        hits: 1,
        page_views: 1,
        landing_path: '/',
        is_bot: true,
        started_at: new Date('2024-03-01T10:06:00Z'),
        ended_at: new Date('2024-03-01T10:06:00Z'),
      },
      // the second visit never logs in; the cookie's link names the user
      {
        session_id: sid('h4'),
        cookie_id: 'ck1',
        user_id: 'u42',
        user_id_from: 'cookie_link',
        hits: 2,
        page_views: 2,
        landing_path: '/products',
        is_bot: false,
        started_at: new Date('2024-03-01T11:00:00Z'),
        ended_at: new Date('2024-03-01T11:20:00Z'),
      },
    ]);
    expect(await wh.all(`SELECT * FROM staging.cookie_links`)).toEqual([
      {
        cookie_id: 'ck1',
        user_id: 'u42',
        first_seen: new Date('2024-03-01T10:29:00Z'),
        last_seen: new Date('2024-03-01T10:29:00Z'),
        hits: 1,
      },
    ]);
  });

  it('session timeout comes from the config', async () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/123.0';
    await rawTable(
      wh,
      'web__access',
      ['k', 'ts', 'cookie', 'ua'],
      [
        { ...L1, values: ['a', '2024-03-01T10:00:00Z', 'c', ua] },
        { ...L1, values: ['b', '2024-03-01T10:12:00Z', 'c', ua] },
      ],
    );
    const mapping = { record_key: 'k', occurred_at: 'ts', cookie_id: 'cookie', user_agent: 'ua' };
    const config = configWith([source('web', [table('web', 'access', 'web_hit', mapping)])], {
      transforms: { sessionTimeoutMinutes: 10 },
    });
    const run = await runTransform(wh, config);
    expect(run.status, run.log.join('\n')).toBe('succeeded');
    expect(await wh.scalar(`SELECT count(*) FROM staging.web_sessions`)).toBe(2);
  });

  it('an error data-quality check fails the step with its name and how many rows broke it; warn checks only record', async () => {
    await landBillingAndCalls();
    const base = billingConfig();
    const config = configWith([...base.sources], {
      checks: [
        {
          name: 'party_email_present',
          check: 'not_null',
          table: 'billing.customers',
          column: 'email',
          severity: 'warn',
        },
        {
          name: 'invoice_party_exists',
          check: 'references',
          table: 'transactions',
          severity: 'error',
        },
        {
          name: 'known_currency',
          check: 'accepted_values',
          table: 'transactions',
          column: 'currency',
          values: ['USD'],
          severity: 'error',
        },
        {
          name: 'uid_unique',
          check: 'unique',
          table: 'staging.party_records',
          column: 'party_uid',
          severity: 'error',
        },
        {
          name: 'calls_present',
          check: 'row_count',
          table: 'cc.calls',
          minRows: 1,
          severity: 'error',
        },
        {
          name: 'billing_fresh',
          check: 'freshness',
          source: 'billing',
          maxAgeSeconds: 3600,
          severity: 'warn',
        },
      ],
    });
    const run = await runTransform(wh, config);
    expect(run.status).toBe('failed');
    const own = run.steps.find((s) => s.step === 'transform' && s.source === '')!;
    expect(own.status).toBe('failed');
    expect(own.error).toBe(
      '1 data-quality error check failed: check known_currency (accepted_values on staging.transactions.currency) failed: 2 rows broke it (2 rows have a value outside the 1 accepted)',
    );
    const results = await wh.all(
      `SELECT check_name, target, severity, status, failed_rows FROM meta.dq_results ORDER BY check_name`,
    );
    expect(results).toEqual([
      {
        check_name: 'billing_fresh',
        target: 'billing',
        severity: 'warn',
        status: 'failed',
        failed_rows: 2,
      },
      {
        check_name: 'calls_present',
        target: 'cc.calls',
        severity: 'error',
        status: 'passed',
        failed_rows: 0,
      },
      {
        check_name: 'invoice_party_exists',
        target: 'staging.transactions.party_uid',
        severity: 'error',
        status: 'passed',
        failed_rows: 0,
      },
      {
        check_name: 'known_currency',
        target: 'staging.transactions.currency',
        severity: 'error',
        status: 'failed',
        failed_rows: 2,
      },
      {
        check_name: 'party_email_present',
        target: 'billing.customers.email',
        severity: 'warn',
        status: 'passed',
        failed_rows: 0,
      },
      {
        check_name: 'uid_unique',
        target: 'staging.party_records.party_uid',
        severity: 'error',
        status: 'passed',
        failed_rows: 0,
      },
    ]);
    // staging was published before the checks ran
    expect(await wh.scalar(`SELECT count(*) FROM staging.transactions`)).toBe(2);
  });

  it('locates a keyless rejected row of a file by file and line', async () => {
    await wh.run(
      `CREATE TABLE raw.shop__leads (id VARCHAR, email VARCHAR, _load_id VARCHAR, _loaded_at TIMESTAMPTZ, _row_hash VARCHAR, _deleted BOOLEAN NOT NULL DEFAULT false, _file VARCHAR, _line BIGINT)`,
    );
    await wh.run(
      `INSERT INTO raw.shop__leads VALUES ('a', 'a@example.com', 'l1', '2024-03-01T00:00:00Z', 'h1', false, 'leads.csv', 2), (NULL, 'b@example.com', 'l1', '2024-03-01T00:00:00Z', 'h2', false, 'leads.csv', 3)`,
    );
    const config = configWith([
      source('shop', [table('shop', 'leads', 'party', { record_key: 'id', email: 'email' })]),
    ]);
    expect((await runTransform(wh, config)).status).toBe('succeeded');
    expect(await wh.all(`SELECT location, reason FROM meta.rejected_rows`)).toEqual([
      { location: 'leads.csv:3', reason: 'record_key: missing' },
    ]);
    expect(
      await wh.all(`SELECT party_uid, email_key, email_valid FROM staging.party_records`),
    ).toEqual([{ party_uid: 'shop.leads:a', email_key: 'a@example.com', email_valid: true }]);
  });

  it('types database columns as landed: local TIMESTAMP in the table zone, numbers and booleans kept, a composite key', async () => {
    await wh.run(`CREATE TABLE raw.erp__lines (order_id INTEGER, line_no INTEGER, customer_id BIGINT, net DECIMAL(12, 2), placed TIMESTAMP, paid BOOLEAN,
      _load_id VARCHAR, _loaded_at TIMESTAMPTZ, _row_hash VARCHAR, _deleted BOOLEAN NOT NULL DEFAULT false)`);
    await wh.run(`INSERT INTO raw.erp__lines VALUES
      (10, 1, 7, 19.99, TIMESTAMP '2024-03-04 10:00:00', true, 'l1', '2024-03-05T00:00:00Z', 'a', false),
      (10, 2, 7, 5.00, TIMESTAMP '2024-03-04 10:00:00', false, 'l1', '2024-03-05T00:00:00Z', 'b', false),
      (10, 2, 7, 6.00, TIMESTAMP '2024-03-04 10:05:00', false, 'l2', '2024-03-06T00:00:00Z', 'c', false)`);
    await wh.run(
      `CREATE TABLE raw.erp__clients (id BIGINT, name VARCHAR, _load_id VARCHAR, _loaded_at TIMESTAMPTZ, _row_hash VARCHAR, _deleted BOOLEAN NOT NULL DEFAULT false)`,
    );
    await wh.run(
      `INSERT INTO raw.erp__clients VALUES (7, 'Jane Roe', 'l1', '2024-03-05T00:00:00Z', 'd', false)`,
    );
    const config = configWith([
      source(
        'erp',
        [
          table('erp', 'clients', 'party', { full_name: 'name' }, { primaryKey: ['id'] }),
          table(
            'erp',
            'lines',
            'transaction',
            {
              party_key: 'customer_id',
              amount: 'net',
              occurred_at: 'placed',
              status: "CASE WHEN paid THEN 'paid' ELSE 'open' END",
            },
            {
              primaryKey: ['order_id', 'line_no'],
              cursor: { column: 'placed', lookbackSeconds: 0 },
              timezone: 'America/New_York',
            },
          ),
        ],
        { timezone: 'America/New_York' },
      ),
    ]);
    const run = await runTransform(wh, config);
    expect(run.status, run.log.join('\n')).toBe('succeeded');
    expect(
      await wh.all(
        `SELECT txn_uid, party_uid, amount, status, occurred_at FROM staging.transactions ORDER BY txn_uid`,
      ),
    ).toEqual([
      {
        txn_uid: 'erp.lines:10|1',
        party_uid: 'erp.clients:7',
        amount: 19.99,
        status: 'paid',
        occurred_at: new Date('2024-03-04T15:00:00Z'),
      },
      {
        txn_uid: 'erp.lines:10|2',
        party_uid: 'erp.clients:7',
        amount: 6,
        status: 'open',
        occurred_at: new Date('2024-03-04T15:05:00Z'),
      },
    ]);
    expect(
      await wh.all(`SELECT party_uid, first_name, last_name FROM staging.party_records`),
    ).toEqual([{ party_uid: 'erp.clients:7', first_name: 'Jane', last_name: 'Roe' }]);
  });

  it('fails the table, names the mapped column that is missing, and leaves the published staging as it was', async () => {
    await landBillingAndCalls();
    expect((await runTransform(wh, billingConfig())).status).toBe('succeeded');
    const base = billingConfig();
    const broken = configWith(
      base.sources.map((s) => ({
        ...s,
        tables: s.tables.map((t) =>
          t.name === 'invoices' ? { ...t, mapping: { ...t.mapping, amount: 'totl' } } : t,
        ),
      })),
    );
    const run = await runTransform(wh, broken);
    expect(run.status).toBe('failed');
    const unit = run.steps.find((s) => s.source === 'billing.invoices')!;
    expect(unit.error).toMatch(
      /mapping amount → column "totl" is not in raw.billing__invoices \(columns: no, cust, total, cur, issued, /,
    );
    expect(run.steps.find((s) => s.source === 'billing.customers')!.status).toBe('succeeded');
    expect(await wh.scalar(`SELECT count(*) FROM staging.transactions`)).toBe(2);
    expect(
      await wh.scalar(
        `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'staging' AND table_name LIKE '\\_%' ESCAPE '\\'`,
      ),
    ).toBe(0);
  });

  it('a check that cannot run as written fails as an error check, naming what is wrong', async () => {
    await landBillingAndCalls();
    const config = configWith([...billingConfig().sources], {
      checks: [
        {
          name: 'email_set',
          check: 'not_null',
          table: 'party_records',
          column: 'emial',
          severity: 'error',
        },
      ],
    });
    const run = await runTransform(wh, config);
    expect(run.steps.find((s) => s.source === '')!.error).toBe(
      '1 data-quality error check failed: check email_set (not_null on staging.party_records) cannot run: staging.party_records has no column "emial"',
    );
    expect(await wh.all(`SELECT status, failed_rows, detail FROM meta.dq_results`)).toEqual([
      {
        status: 'failed',
        failed_rows: 0,
        detail: 'cannot run: staging.party_records has no column "emial"',
      },
    ]);
  });

  it('a table nothing has landed for yet stages no rows and says so (a warning: run partial)', async () => {
    const config = configWith([
      source('shop', [table('shop', 'leads', 'party', { record_key: 'id' })]),
    ]);
    const run = await runTransform(wh, config);
    expect(run.status).toBe('partial');
    expect(run.steps.find((s) => s.source === 'shop.leads')).toMatchObject({
      status: 'warning',
      rowsIn: 0,
      rowsOut: 0,
      rowsRejected: 0,
      error: 'raw.shop__leads does not exist yet (nothing landed); staged no rows',
    });
    expect(run.log).toContain(
      'warn: step transform shop.leads: raw.shop__leads does not exist yet (nothing landed); staged no rows',
    );
    expect(await wh.scalar(`SELECT count(*) FROM staging.party_records`)).toBe(0);
  });
});
