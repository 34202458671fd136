import { describe, expect, it } from 'vitest';
import {
  standardiseAddress,
  type AddressInput,
  type StandardAddress,
} from '../../../transforms/standardise/addresses.ts';
import { countryCode } from '../../../transforms/standardise/countries.ts';
import { standardisePostcode } from '../../../transforms/standardise/postcodes.ts';

describe('standardiseAddress', () => {
  it.each<[string, AddressInput, string | null, StandardAddress]>([
    [
      'abbreviates street and unit words and cuts ZIP+4',
      { address: '12 Main Street, Apt 4', postcode: '02134-1234', city: 'boston', country: 'USA' },
      'US',
      {
        line: '12 Main St Apt 4',
        postcode: '02134',
        city: 'Boston',
        country: 'US',
        key: '12 main st apt 4|02134',
      },
    ],
    [
      'gives the same key to dotted abbreviations and a ZIP that lost its zero',
      { address: '12 main st. apt. 4', postcode: '2134', city: 'Boston', country: 'United States' },
      'US',
      {
        line: '12 Main St Apt 4',
        postcode: '02134',
        city: 'Boston',
        country: 'US',
        key: '12 main st apt 4|02134',
      },
    ],
    [
      'reads # as apartment and applies the default country',
      { address: '12 MAIN ST #4', postcode: '02134', city: 'BOSTON' },
      'US',
      {
        line: '12 Main St Apt 4',
        postcode: '02134',
        city: 'Boston',
        country: 'US',
        key: '12 main st apt 4|02134',
      },
    ],
    [
      'abbreviates a directional before the street name and suite',
      {
        address: '500 North Main Street Suite 200',
        postcode: '90210',
        city: 'Beverly Hills',
        country: 'us',
      },
      'US',
      {
        line: '500 N Main St Ste 200',
        postcode: '90210',
        city: 'Beverly Hills',
        country: 'US',
        key: '500 n main st ste 200|90210',
      },
    ],
    [
      'keeps a directional that is the street name',
      { address: '12 North Street', postcode: '12345', city: 'Springfield' },
      'US',
      {
        line: '12 North St',
        postcode: '12345',
        city: 'Springfield',
        country: 'US',
        key: '12 north st|12345',
      },
    ],
    [
      'moves the Russian city out of the line',
      { address: 'г. Москва, ул. Ленина, д. 5, кв. 12', postcode: '101000', country: 'Россия' },
      'US',
      {
        line: 'ул Ленина д 5 кв 12',
        postcode: '101000',
        city: 'Москва',
        country: 'RU',
        key: 'ul lenina d 5 kv 12|101000',
      },
    ],
    [
      'abbreviates full Russian words to the same key',
      {
        address: 'улица Ленина, дом 5, квартира 12',
        postcode: '101 000',
        city: 'г. Москва',
        country: 'РФ',
      },
      'RU',
      {
        line: 'ул Ленина д 5 кв 12',
        postcode: '101000',
        city: 'Москва',
        country: 'RU',
        key: 'ul lenina d 5 kv 12|101000',
      },
    ],
    [
      'takes postcode, region and city parts out of a Russian one-line address',
      { address: '141400, Московская обл., г. Химки, пр-т Мира, д.5, корп.2' },
      'RU',
      {
        line: 'пр Мира д 5 корп 2',
        postcode: '141400',
        city: 'Химки',
        country: 'RU',
        key: 'pr mira d 5 korp 2|141400',
      },
    ],
    [
      'proper-cases a Cyrillic city and abbreviates проспект',
      { address: 'Невский проспект 28', postcode: '191186', city: 'САНКТ-ПЕТЕРБУРГ' },
      'RU',
      {
        line: 'Невский пр 28',
        postcode: '191186',
        city: 'Санкт-Петербург',
        country: 'RU',
        key: 'nevskiy pr 28|191186',
      },
    ],
    [
      'formats a UK postcode with one space',
      { address: '10 Downing Street', postcode: 'sw1a2aa', city: 'London', country: 'UK' },
      'US',
      {
        line: '10 Downing St',
        postcode: 'SW1A 2AA',
        city: 'London',
        country: 'GB',
        key: '10 downing st|sw1a 2aa',
      },
    ],
    [
      'nulls an invalid postcode and keys on the city instead',
      { address: '1 Infinite Loop', postcode: 'ABCDE', city: 'Cupertino', country: 'US' },
      'US',
      {
        line: '1 Infinite Loop',
        postcode: null,
        city: 'Cupertino',
        country: 'US',
        key: '1 infinite loop|cupertino',
      },
    ],
    [
      'nulls an unknown country rather than guessing',
      { address: '221B Baker Street, 1st Floor', country: 'Narnia' },
      'GB',
      {
        line: '221B Baker St 1st Fl',
        postcode: null,
        city: null,
        country: null,
        key: '221b baker st 1st fl|',
      },
    ],
    [
      'gives no key without a line',
      { address: ' , ', postcode: '', city: '' },
      'DE',
      { line: null, postcode: null, city: null, country: 'DE', key: null },
    ],
  ])('%s', (_behaviour, input, defaultCountry, expected) => {
    expect(standardiseAddress(input, defaultCountry)).toEqual(expected);
  });
});

describe('Russian addresses written in Latin letters', () => {
  it.each([
    ['prosp. Kutuzovskiy, d. 12, kv. 5', 'пр-т Кутузовский, д. 12, кв. 5'],
    ['ul. Tverskaya, dom 7', 'ул. Тверская, д. 7'],
    ['per. Arbatskiy 3, korp. 2', 'переулок Арбатский 3, корпус 2'],
  ])('"%s" has the same household key as "%s"', (latin, cyrillic) => {
    const key = (address: string) =>
      standardiseAddress({ address, postcode: '121248', city: 'Moscow' }, 'RU').key;
    expect(key(latin)).toBe(key(cyrillic));
  });
});

describe('standardisePostcode', () => {
  it.each<[string, string | null, string | null]>([
    ['02134-1234', 'US', '02134'],
    ['021341234', 'US', '02134'],
    ['1234567', 'US', null],
    ['101 000', 'RU', '101000'],
    ['10100', 'RU', null],
    ['ec1a1bb', 'GB', 'EC1A 1BB'],
    ['EC1A  1BB', 'GB', 'EC1A 1BB'],
    ['W1 1AA', 'GB', 'W1 1AA'],
    ['12345', 'GB', null],
    ['10117', 'DE', '10117'],
    ['1011', 'DE', null],
    ['k1a0b1', 'CA', 'K1A 0B1'],
    [' ab-12 ', null, 'AB-12'],
  ])('%s in %s → %s', (raw, country, expected) => {
    expect(standardisePostcode(raw, country)).toBe(expected);
  });
});

describe('countryCode', () => {
  it.each<[string, string | null]>([
    ['USA', 'US'],
    ['United States of America', 'US'],
    ['U.S.A.', 'US'],
    ['us', 'US'],
    ['США', 'US'],
    ['Россия', 'RU'],
    ['РФ', 'RU'],
    ['Russian Federation', 'RU'],
    ['UK', 'GB'],
    ['Great Britain', 'GB'],
    ['Великобритания', 'GB'],
    ['Deutschland', 'DE'],
    ['de', 'DE'],
    ['Беларусь', 'BY'],
    ['XX', null],
    ['Narnia', null],
  ])('%s → %s', (name, expected) => {
    expect(countryCode(name)).toBe(expected);
  });
});
