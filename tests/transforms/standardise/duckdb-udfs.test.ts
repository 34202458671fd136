import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerStandardiseUdfs } from '../../../transforms/standardise/duckdb-udfs.ts';

describe('registerStandardiseUdfs', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    registerStandardiseUdfs(connection);
  });

  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    return (await connection.runAndReadAll(sql)).getRows();
  }

  it('registers every function under its documented name', async () => {
    const names = await rows(
      "select distinct function_name from duckdb_functions() where function_name like 'cdw\\_%' escape '\\' order by 1",
    );
    expect(names).toEqual([
      ['cdw_address_key'],
      ['cdw_country_code'],
      ['cdw_email_key'],
      ['cdw_given_name_key'],
      ['cdw_is_bot'],
      ['cdw_name_key'],
      ['cdw_phone_e164'],
      ['cdw_phone_type'],
      ['cdw_translit'],
    ]);
  });

  it.each<[string, string, unknown]>([
    [
      'formats a Russian trunk-prefixed phone',
      "cdw_phone_e164('8 (916) 123-45-67', 'RU')",
      '+79161234567',
    ],
    [
      'formats a US phone with a lower-case country',
      "cdw_phone_e164('(212) 555-1234', 'us')",
      '+12125551234',
    ],
    ['returns NULL for an invalid phone', "cdw_phone_e164('0000000', 'US')", null],
    [
      'reads international phones with a NULL country',
      "cdw_phone_e164('+44 20 7946 0958', NULL)",
      '+442079460958',
    ],
    ['types a phone', "cdw_phone_type('+7 495 123-45-67', 'RU')", 'fixed_line'],
    ['keys a Cyrillic name', "cdw_name_key('Щукин-Ёлкин')", 'shchukinelkin'],
    ['returns NULL for a name without letters', "cdw_name_key('--')", null],
    ['maps a nickname to its group', "cdw_given_name_key('Саша')", 'aleksandr'],
    ['maps an English nickname to its group', "cdw_given_name_key('Bobby')", 'robert'],
    ['transliterates text', "cdw_translit('ул. Ленина, д. 5')", 'ul. Lenina, d. 5'],
    ['keys a gmail address', "cdw_email_key(' J.Smith+x@GoogleMail.com ')", 'jsmith@gmail.com'],
    ['returns NULL for an invalid e-mail', "cdw_email_key('not-an-email')", null],
    [
      'keys an address',
      "cdw_address_key('12 Main Street, Apt. 4', '02134-1234', 'Boston', 'USA')",
      '12 main st apt 4|02134',
    ],
    [
      'keys a Russian address',
      "cdw_address_key('ул. Ленина, д. 5, кв. 12', '101000', 'Москва', 'Россия')",
      'ul lenina d 5 kv 12|101000',
    ],
    ['flags a bot', "cdw_is_bot('curl/8.4.0')", true],
    [
      'passes a browser',
      "cdw_is_bot('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0')",
      false,
    ],
    ['counts a missing user agent as a bot', 'cdw_is_bot(NULL)', true],
    ['passes NULL through', 'cdw_name_key(NULL)', null],
  ])('%s', async (_behaviour, expression, expected) => {
    expect(await rows(`select ${expression}`)).toEqual([[expected]]);
  });

  it('treats NULLs in a column like literal NULLs', async () => {
    const result = await rows(`
      select cdw_phone_e164(raw, country), cdw_is_bot(ua), cdw_email_key(email)
      from (values ('+44 20 7946 0958', null::varchar, null::varchar, null::varchar)) t(raw, country, ua, email)`);
    expect(result).toEqual([['+442079460958', true, null]]);
  });

  it('works over a table larger than one vector, NULLs included', async () => {
    await connection.run(`
      create table phones as
      select i, case when i % 10 = 0 then null else '8 (916) ' || lpad((1000000 + i)::varchar, 7, '0') end as raw
      from range(5000) t(i)`);
    const result = await rows(`
      select count(*) filter (where e164 is null), count(*) filter (where e164 like '+7916%'), min(e164), max(e164)
      from (select cdw_phone_e164(raw, 'RU') as e164 from phones)`);
    expect(result).toEqual([[500n, 4500n, '+79161000001', '+79161004999']]);
  });
});
