import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldType } from '../../foundation/entities.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { prepareConnection } from '../../transforms/prepare-connection.ts';
import { allNamed } from '../../foundation/run-sql.ts';
import { dateTyping, toStrptime } from '../../transforms/typing/date-formats.ts';
import { typedSql } from '../../transforms/typing/field-typing.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  await prepareConnection(wh);
});
afterAll(() => wh.close());

/** Types one text value as a VARCHAR column would be typed in staging. */
async function typeText(
  type: FieldType,
  value: string | null,
  opts: { tz?: string; formats?: string[] } = {},
): Promise<unknown> {
  const d = dateTyping(opts.formats);
  const sql = `SELECT ${typedSql(type, 'v', 'VARCHAR', d)} AS out FROM (SELECT CAST($v AS VARCHAR) AS v)`;
  const [row] = await allNamed<{ out: unknown }>(wh.conn, sql, {
    v: value,
    tz: opts.tz ?? 'UTC',
    ...d.params,
  });
  return row?.out;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

describe('typing text values', () => {
  it.each([
    ['12', 12],
    [' 12.50 ', 12.5],
    ['1 234,50', 1234.5],
    ['1,234.50', 1234.5],
    ['1.234,50', 1234.5],
    ['1,234,567', 1234567],
    ['12,5', 12.5],
    ['-3', -3],
    ['$19.99', 19.99],
    ['150 ₽', 150],
    ['1e3', 1000],
    ['ten', null],
    ['NaN', null],
    ['inf', null],
    ['1.2.3', null],
    ['', null],
    [null, null],
  ])('number %j → %j', async (raw, want) => {
    expect(await typeText('number', raw)).toBe(want);
  });

  it.each([
    ['200', 200],
    ['200.0', 200],
    ['200.5', null],
    ['abc', null],
  ])('integer %j → %j', async (raw, want) => {
    expect(await typeText('integer', raw)).toBe(want);
  });

  it.each([
    ['true', true],
    ['Y', true],
    ['yes', true],
    ['1', true],
    ['да', true],
    ['Да', true],
    ['false', false],
    ['N', false],
    ['no', false],
    ['0', false],
    ['нет', false],
    ['maybe', null],
    ['', null],
  ])('boolean %j → %j', async (raw, want) => {
    expect(await typeText('boolean', raw)).toBe(want);
  });

  it.each([
    // ISO with offset or Z is an instant whatever the table's zone
    ['2024-03-04T10:00:00Z', 'Europe/Moscow', undefined, '2024-03-04T10:00:00.000Z'],
    ['2024-03-04T10:00:00+03:00', 'UTC', undefined, '2024-03-04T07:00:00.000Z'],
    ['2024-03-04 10:00:00+0300', 'UTC', undefined, '2024-03-04T07:00:00.000Z'],
    ['2024-03-04 10:00:00 UTC', 'Europe/Moscow', undefined, '2024-03-04T10:00:00.000Z'],
    // local times are read in the table's zone
    ['2024-03-04 10:00:00', 'Europe/Moscow', undefined, '2024-03-04T07:00:00.000Z'],
    ['2024-03-04T10:00', 'America/New_York', undefined, '2024-03-04T15:00:00.000Z'],
    ['2024-07-04 10:00:00', 'America/New_York', undefined, '2024-07-04T14:00:00.000Z'], // summer time
    ['2024-03-04', 'Europe/Moscow', undefined, '2024-03-03T21:00:00.000Z'],
    // formats of the table (luxon tokens or strptime)
    ['03/04/2024 10:00', 'UTC', ['MM/dd/yyyy HH:mm'], '2024-03-04T10:00:00.000Z'],
    ['03/04/2024 10:00', 'UTC', ['%d/%m/%Y %H:%M'], '2024-04-03T10:00:00.000Z'],
    ['04.03.2024 9:05', 'Europe/Moscow', undefined, '2024-03-04T06:05:00.000Z'],
    ['10/Oct/2000:13:55:36 -0700', 'UTC', undefined, '2000-10-10T20:55:36.000Z'],
    ['1709546400', 'Europe/Moscow', undefined, '2024-03-04T10:00:00.000Z'],
    ['1709546400000', 'UTC', undefined, '2024-03-04T10:00:00.000Z'],
    // impossible or ambiguous without a declared format
    ['2024-02-30 10:00:00', 'UTC', undefined, null],
    ['31.02.2024', 'UTC', undefined, null],
    ['03/04/2024', 'UTC', undefined, null],
    ['yesterday', 'UTC', undefined, null],
  ])('timestamp %j in %s with %j → %j', async (raw, tz, formats, want) => {
    expect(iso(await typeText('timestamp', raw, { tz, formats }))).toBe(want);
  });

  it.each([
    ['1980-03-04', undefined, '1980-03-04'],
    ['04.03.1980', undefined, '1980-03-04'],
    ['3/4/1980', ['M/d/yyyy'], '1980-03-04'],
    ['1980-03-04 00:00:00', undefined, '1980-03-04'],
    ['4 Mar 1980', undefined, '1980-03-04'],
    ['1980-02-30', undefined, null],
    ['nope', undefined, null],
  ])('date %j with %j → %j', async (raw, formats, want) => {
    const d = await typeText('date', raw, { formats });
    expect(d instanceof Date ? d.toISOString().slice(0, 10) : d).toBe(want);
  });
});

describe('typing typed columns', () => {
  it('reads a database TIMESTAMP in the table zone, keeps a TIMESTAMPTZ, and reads epoch numbers', async () => {
    const d = dateTyping(undefined);
    const sql = `SELECT ${typedSql('timestamp', 'a', 'TIMESTAMP', d)} AS a, ${typedSql('timestamp', 'b', 'TIMESTAMP WITH TIME ZONE', d)} AS b,
                        ${typedSql('timestamp', 'c', 'BIGINT', d)} AS c, ${typedSql('date', 'a', 'TIMESTAMP', d)} AS d, ${typedSql('boolean', 'e', 'INTEGER', d)} AS e
                 FROM (SELECT TIMESTAMP '2024-03-04 10:00:00' AS a, TIMESTAMPTZ '2024-03-04 10:00:00+00' AS b, 1709546400 AS c, 0 AS e)`;
    const [row] = await allNamed(wh.conn, sql, { tz: 'Europe/Moscow', ...d.params });
    expect(iso(row!.a)).toBe('2024-03-04T07:00:00.000Z');
    expect(iso(row!.b)).toBe('2024-03-04T10:00:00.000Z');
    expect(iso(row!.c)).toBe('2024-03-04T10:00:00.000Z');
    expect(iso(row!.d)).toBe('2024-03-04T00:00:00.000Z');
    expect(row!.e).toBe(false);
  });

  it('reads a number too large to be epoch time as no time instead of failing', async () => {
    const d = dateTyping(undefined);
    const [row] = await allNamed(
      wh.conn,
      `SELECT ${typedSql('timestamp', 'n', 'DOUBLE', d)} AS t FROM (SELECT 1e17 AS n)`,
      { tz: 'UTC', ...d.params },
    );
    expect(row!.t).toBeNull();
  });
});

describe('date formats', () => {
  it.each([
    ['dd.MM.yyyy', '%d.%m.%Y'],
    ["yyyy-MM-dd'T'HH:mm:ss", '%Y-%m-%dT%H:%M:%S'],
    ['d MMM yy h:mm a', '%d %b %y %I:%M %p'],
    ['yyyy-MM-dd HH:mm:ss.SSSZZ', '%Y-%m-%d %H:%M:%S.%g%z'],
    ['%d/%m/%Y', '%d/%m/%Y'],
  ])('%s → %s', (given, want) => {
    expect(toStrptime(given)).toBe(want);
  });

  it('refuses an unknown letter instead of guessing', () => {
    expect(() => toStrptime('dd.MM.yyyy Q')).toThrow(/unknown token "Q"/);
  });

  it("tries the table's own formats before ISO 8601", async () => {
    expect(
      iso(await typeText('timestamp', '2024-04-03 10:00', { formats: ['yyyy-dd-MM HH:mm'] })),
    ).toBe('2024-03-04T10:00:00.000Z');
    expect(iso(await typeText('timestamp', '2024-04-03 10:00'))).toBe('2024-04-03T10:00:00.000Z');
  });

  it("reads a table's format with an offset as an instant", async () => {
    expect(
      iso(
        await typeText('timestamp', '04/03/2024 10:00 +0300', {
          tz: 'America/New_York',
          formats: ['dd/MM/yyyy HH:mm ZZ'],
        }),
      ),
    ).toBe('2024-03-04T07:00:00.000Z');
  });
});
