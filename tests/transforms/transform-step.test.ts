import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../warehouse/duckdb-client.ts';
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
  await rawTable(wh, 'billing__customers', ['id', 'name', 'email', 'phone', 'born', 'city', 'updated'], [
    { ...L1, values: ['1', 'Иванов Иван Иванович', 'Ivan.Ivanov@Mail.RU ', '8 (495) 123-45-67', '04.03.1980', 'Москва', '2024-02-01 10:00:00'] },
    { ...L1, values: ['2', 'Петрова Анна', 'anna@example.com', '+7 916 555 12 34', '1985-07-20', 'Москва', '2024-02-01 11:00:00'] },
    { ...L1, values: ['3', 'Smith John', null, null, null, null, '2024-02-01 12:00:00'] },
    // a later version of customer 2 wins
    { ...L2, values: ['2', 'Петрова Анна Сергеевна', 'anna.p@example.com', '+7 916 555 12 34', '1985-07-20', 'Москва', '2024-03-01 09:30:00'] },
    // customer 3 was deleted in the source
    { ...L2, values: ['3', null, null, null, null, null, null], deleted: true },
  ]);
  await rawTable(wh, 'billing__invoices', ['no', 'cust', 'total', 'cur', 'issued'], [
    { ...L1, values: ['INV-1', '1', '1 234,50', 'rub', '01.02.2024 10:00'] },
    { ...L1, values: ['INV-2', '2', '99.90', 'RUB', '2024-02-15T08:00:00+03:00'] },
  ]);
  await rawTable(wh, 'cc__calls', ['call_id', 'ani', 'started', 'secs', 'complaint', 'dir'], [
    { ...L1, values: ['c1', '+74951234567', '2024-02-20 09:15:00', '125', 'да', 'входящий'] },
  ]);
}

function billingConfig() {
  return configWith([
    source(
      'billing',
      [
        table('billing', 'customers', 'party', { record_key: 'id', full_name: 'name', email: 'email', phone: 'phone', birth_date: 'born', city: 'city', updated_at: 'updated' }, {
          cursor: { column: 'updated', lookbackSeconds: 0 },
          timezone: 'Europe/Moscow',
        }),
        table('billing', 'invoices', 'transaction', { record_key: 'no', party_key: 'cust', amount: 'total', currency: 'cur', occurred_at: 'issued' }, {
          timezone: 'Europe/Moscow',
          dateFormats: ['dd.MM.yyyy HH:mm'],
        }),
      ],
      { defaultCountry: 'RU', timezone: 'Europe/Moscow' },
    ),
    source(
      'cc',
      [table('cc', 'calls', 'interaction', { record_key: 'call_id', phone: 'ani', opened_at: 'started', duration_s: 'secs', is_complaint: 'complaint', direction: 'dir', channel: "'phone'" })],
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
    expect(parties[1]).toMatchObject({ email_norm: 'anna.p@example.com', middle_name: 'Сергеевна' });
    expect((parties[1]!.updated_at as Date).toISOString()).toBe('2024-03-01T06:30:00.000Z');

    const txns = await wh.all(`SELECT txn_uid, party_uid, amount, currency, occurred_at FROM staging.transactions ORDER BY txn_uid`);
    expect(txns).toEqual([
      { txn_uid: 'billing.invoices:INV-1', party_uid: 'billing.customers:1', amount: 1234.5, currency: 'RUB', occurred_at: new Date('2024-02-01T07:00:00Z') },
      { txn_uid: 'billing.invoices:INV-2', party_uid: 'billing.customers:2', amount: 99.9, currency: 'RUB', occurred_at: new Date('2024-02-15T05:00:00Z') },
    ]);

    const calls = await wh.all(`SELECT interaction_uid, party_uid, phone_e164, channel, direction, is_complaint, duration_s, opened_at FROM staging.interactions`);
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
      { source: 'billing.customers', status: 'succeeded', rows_in: 2, rows_out: 2, rows_rejected: 0 },
      { source: 'billing.invoices', status: 'succeeded', rows_in: 2, rows_out: 2, rows_rejected: 0 },
      { source: 'cc.calls', status: 'succeeded', rows_in: 1, rows_out: 1, rows_rejected: 0 },
    ]);
    const work = await wh.all(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'staging' ORDER BY 1`);
    expect(work.map((w) => w.table_name)).toEqual(['cookie_links', 'interactions', 'party_records', 'transactions', 'web_hits', 'web_sessions']);
  });
});
