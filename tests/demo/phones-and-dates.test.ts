import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { US_CITIES, RU_CITIES } from '../../demo/data/places.ts';
import { Rng } from '../../demo/rng.ts';
import { formatPhone, ruLandline, ruMobile, usNumber, type PhoneStyle } from '../../demo/phones.ts';
import {
  civilFromDays,
  clfTs,
  daysFromCivil,
  isoDate,
  isoTs,
  nightDay,
  ruTs,
  usTs,
} from '../../demo/calendar.ts';

const STYLES: readonly PhoneStyle[] = ['e164', 'national', 'intl', 'digits', 'dashed', 'dotted'];

describe('demo phone numbers', () => {
  it('are valid for libphonenumber-js in every format a source writes, read with the number’s country', () => {
    const rng = new Rng(123);
    for (let i = 0; i < 1500; i++) {
      const city = US_CITIES[i % US_CITIES.length]!;
      const us = usNumber(rng, city.areaCodes[i % city.areaCodes.length]!);
      const ru =
        i % 2 === 0 ? ruMobile(rng) : ruLandline(rng, RU_CITIES[i % RU_CITIES.length]!.areaCode);
      expect(us).not.toMatch(/^1\d{3}555/);
      for (const style of STYLES) {
        expect(
          parsePhoneNumberFromString(formatPhone(us, style), 'US')?.number,
          `${us} ${style}`,
        ).toBe(`+${us}`);
        expect(
          parsePhoneNumberFromString(formatPhone(ru, style), 'RU')?.number,
          `${ru} ${style}`,
        ).toBe(`+${ru}`);
      }
    }
  });

  it('are written as each source does', () => {
    expect(STYLES.map((s) => formatPhone('12125550123', s))).toEqual([
      '+12125550123',
      '(212) 555-0123',
      '+1 212-555-0123',
      '2125550123',
      '+1 (212) 555-0123',
      '212.555.0123',
    ]);
    expect(STYLES.map((s) => formatPhone('74951234567', s))).toEqual([
      '+74951234567',
      '8 (495) 123-45-67',
      '+7 (495) 123-45-67',
      '74951234567',
      '8-495-123-45-67',
      '+7 495 1234567',
    ]);
  });
});

describe('demo calendar', () => {
  it('counts days like the Gregorian calendar, without the clock', () => {
    for (let d = -30000; d < 30000; d += 97) {
      const c = civilFromDays(d);
      expect(new Date(d * 86_400_000).toISOString().slice(0, 10)).toBe(isoDate(d));
      expect(daysFromCivil(c.y, c.m, c.d)).toBe(d);
    }
    expect(isoDate(nightDay(1))).toBe('2026-11-01');
    expect(isoDate(nightDay(61))).toBe('2026-12-31');
  });

  it('formats times per source', () => {
    const t = nightDay(1) * 86_400 + 13 * 3600 + 5 * 60 + 9;
    expect([isoTs(t), ruTs(t), usTs(t), clfTs(t)]).toEqual([
      '2026-11-01 13:05:09',
      '01.11.2026 13:05:09',
      '11/01/2026 01:05:09 PM',
      '01/Nov/2026:13:05:09 +0000',
    ]);
    expect(usTs(nightDay(1) * 86_400 + 5)).toBe('11/01/2026 12:00:05 AM');
  });
});
