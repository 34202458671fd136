import { describe, expect, it } from 'vitest';
import {
  isPlausibleBirthDate,
  parseDate,
  parseTimestamp,
  type DateOptions,
} from '../../../transforms/standardise/dates.ts';

const now = new Date('2025-06-01T12:00:00Z');

describe('parseDate', () => {
  it.each<[string, string | null, DateOptions, string | null, string | null]>([
    ['reads an ISO date', '2024-03-04', {}, '2024-03-04', null],
    [
      'takes the date of an ISO timestamp as written',
      '2024-03-04T23:30:00+05:00',
      {},
      '2024-03-04',
      null,
    ],
    ['reads slashes month first by default (US)', '03/04/2024', {}, '2024-03-04', null],
    [
      'reads slashes day first when the source says so',
      '03/04/2024',
      { dayFirst: true },
      '2024-04-03',
      null,
    ],
    ['always reads dots day first', '04.03.2024', {}, '2024-03-04', null],
    ['reads a date with a time', '2024-03-04 09:15', {}, '2024-03-04', null],
    ['reads a compact date', '20240304', {}, '2024-03-04', null],
    ['reads day, month abbreviation, year', '4 Mar 2024', {}, '2024-03-04', null],
    ['reads month name, day, year', 'March 4, 2024', {}, '2024-03-04', null],
    ['reads an Oracle-style date with a two-digit year', '04-MAR-24', { now }, '2024-03-04', null],
    ['reads a Russian genitive month', '4 марта 2024', {}, '2024-03-04', null],
    ['reads a Russian date with "г."', '4 марта 2024 г.', {}, '2024-03-04', null],
    ['reads a Russian date with "года"', '1 января 1990 года', {}, '1990-01-01', null],
    ['reads a Russian abbreviated month', '15 сент. 1985', {}, '1985-09-15', null],
    ['reads a Russian dotted date with two-digit year', '05.06.75', { now }, '1975-06-05', null],
    [
      'reads epoch seconds as a date in the source zone',
      '1709594100',
      { zone: 'Europe/Moscow' },
      '2024-03-05',
      null,
    ],
    ['reads epoch seconds in UTC by default', '1709594100', {}, '2024-03-04', null],
    ['reads epoch milliseconds', '1709543700000', {}, '2024-03-04', null],
    ['reads Excel serial days when asked', '45355', { excelSerials: true }, '2024-03-04', null],
    ['uses the source format first', '04/03/2024', { formats: ['dd/MM/yyyy'] }, '2024-03-04', null],
    [
      'uses a Russian source format',
      '04 мар. 2024',
      { formats: ['dd MMM yyyy'], locale: 'ru' },
      '2024-03-04',
      null,
    ],
    ['accepts 29 February in a leap year', '29.02.2024', {}, '2024-02-29', null],
    [
      'rejects 29 February in a common year',
      '29.02.2023',
      {},
      null,
      'impossible date: day 29 out of range for month 2',
    ],
    [
      'rejects 30 February',
      '2023-02-30',
      {},
      null,
      'impossible date: day 30 out of range for month 2',
    ],
    ['rejects month 13', '2024-13-01', {}, null, 'impossible date: month 13 out of range'],
    [
      'rejects a day-first date read month first',
      '25/12/2024',
      {},
      null,
      'impossible date: month 25 out of range',
    ],
    [
      'rejects an impossible date in a source format',
      '31/04/2023',
      { formats: ['dd/MM/yyyy'] },
      null,
      'impossible date: day 31 out of range for month 4',
    ],
    ['rejects year 1800', '1800-01-01', {}, null, 'year out of range: before 1900'],
    ['rejects a far-future year', '2300-01-01', { now }, null, 'year out of range: after 2125'],
    [
      'rejects a future birth date',
      '2030-01-01',
      { birthDate: true, now },
      null,
      'implausible birth date: in the future',
    ],
    [
      'accepts a birth date within the horizon',
      '2025-06-10',
      { birthDate: true, horizonDays: 30, now },
      '2025-06-10',
      null,
    ],
    [
      'rejects a birth date older than the limit',
      '1890-05-05',
      { birthDate: true, minYear: 1800, now },
      null,
      'implausible birth date: more than 120 years ago',
    ],
    ['rejects text', 'not a date', {}, null, 'unparseable date'],
    ['rejects an unknown month name', '4 Foo 2024', {}, null, 'unparseable date'],
    ['flags blank input', '  ', {}, null, 'empty'],
    ['flags null', null, {}, null, 'empty'],
  ])('%s', (_behaviour, raw, opts, value, reason) => {
    expect(parseDate(raw, opts)).toEqual({ value, reason });
  });

  it('never puts the input in the reason', () => {
    const { reason } = parseDate('31/04/1987', { formats: ['dd/MM/yyyy'] });
    expect(reason).not.toContain('1987');
    expect(reason).not.toContain('31/04');
  });

  it('throws on an unknown time zone instead of rejecting every row', () => {
    expect(() => parseDate('1709594100', { zone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('parseTimestamp', () => {
  it.each<[string, string | null, DateOptions, string | null, string | null]>([
    ['keeps a Z instant', '2024-03-04T09:15:00Z', {}, '2024-03-04T09:15:00.000Z', null],
    [
      'applies the written offset',
      '2024-03-04T09:15:00+03:00',
      { zone: 'America/New_York' },
      '2024-03-04T06:15:00.000Z',
      null,
    ],
    [
      'applies a compact offset with fractional seconds',
      '2024-03-04T09:15:00.123456+0530',
      {},
      '2024-03-04T03:45:00.123Z',
      null,
    ],
    [
      'reads a time without offset in the source zone',
      '2024-03-04 09:15',
      { zone: 'Europe/Moscow' },
      '2024-03-04T06:15:00.000Z',
      null,
    ],
    [
      'reads a time without offset as UTC by default',
      '2024-03-04 09:15',
      {},
      '2024-03-04T09:15:00.000Z',
      null,
    ],
    [
      'follows daylight saving time in the source zone',
      '2024-07-04 12:00',
      { zone: 'America/New_York' },
      '2024-07-04T16:00:00.000Z',
      null,
    ],
    [
      'reads a date alone as midnight in the source zone',
      '2024-03-04',
      { zone: 'America/New_York' },
      '2024-03-04T05:00:00.000Z',
      null,
    ],
    [
      'reads a Russian dotted date and time',
      '04.03.2024 09:15',
      { zone: 'Europe/Moscow' },
      '2024-03-04T06:15:00.000Z',
      null,
    ],
    [
      'reads a Russian month name with a time',
      '4 марта 2024 09:15',
      { zone: 'Europe/Moscow' },
      '2024-03-04T06:15:00.000Z',
      null,
    ],
    [
      'reads a US date with pm',
      '03/04/2024 9:15 PM',
      { zone: 'America/Chicago' },
      '2024-03-05T03:15:00.000Z',
      null,
    ],
    ['reads 12 am as midnight', '03/04/2024 12:05 am', {}, '2024-03-04T00:05:00.000Z', null],
    [
      'reads an RFC 2822 date',
      'Mon, 04 Mar 2024 09:15:00 +0000',
      {},
      '2024-03-04T09:15:00.000Z',
      null,
    ],
    ['reads a compact timestamp', '20240304T091500', {}, '2024-03-04T09:15:00.000Z', null],
    [
      'reads epoch seconds as an instant regardless of zone',
      '1709543700',
      { zone: 'Europe/Moscow' },
      '2024-03-04T09:15:00.000Z',
      null,
    ],
    ['reads epoch milliseconds', '1709543700123', {}, '2024-03-04T09:15:00.123Z', null],
    [
      'uses a source format in the source zone',
      '04/03/2024 09:15',
      { formats: ['dd/MM/yyyy HH:mm'], zone: 'Europe/London' },
      '2024-03-04T09:15:00.000Z',
      null,
    ],
    ['rejects hour 25', '2024-03-04T25:00:00Z', {}, null, 'impossible time: hour 25 out of range'],
    ['rejects minute 60', '2024-03-04 10:60', {}, null, 'impossible time: minute 60 out of range'],
    [
      'rejects an impossible date',
      '2023-02-30 10:00',
      {},
      null,
      'impossible date: day 30 out of range for month 2',
    ],
    ['rejects text', 'yesterday', {}, null, 'unparseable timestamp'],
    ['flags blank input', '', {}, null, 'empty'],
  ])('%s', (_behaviour, raw, opts, value, reason) => {
    expect(parseTimestamp(raw, opts)).toEqual({ value, reason });
  });
});

describe('isPlausibleBirthDate', () => {
  it.each<[string | null, Parameters<typeof isPlausibleBirthDate>[1], boolean]>([
    ['1990-01-01', { now }, true],
    ['2025-06-01', { now }, true],
    ['2025-06-02', { now }, false],
    ['2025-06-20', { now, horizonDays: 30 }, true],
    ['1906-01-01', { now }, true],
    ['1905-01-01', { now }, false],
    ['1905-01-01', { now, maxAgeYears: 130 }, true],
    ['1990-13-01', { now }, false],
    ['2023-02-30', { now }, false],
    ['01.01.1990', { now }, false],
    [null, { now }, false],
  ])('%s → %s', (iso, opts, expected) => {
    expect(isPlausibleBirthDate(iso, opts)).toBe(expected);
  });
});
