import type { CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  standardisePhone,
  type PhoneType,
  type StandardPhone,
} from '../../../transforms/standardise/phones.ts';

function ok(e164: string, type: PhoneType, country: string): StandardPhone {
  return { e164, valid: true, type, country, reason: null };
}

function bad(reason: string): StandardPhone {
  return { e164: null, valid: false, type: null, country: null, reason };
}

describe('standardisePhone', () => {
  it.each<[string, string | null, CountryCode | null, StandardPhone]>([
    [
      'reads a Russian international landline',
      '+7 (495) 123-45-67',
      'RU',
      ok('+74951234567', 'fixed_line', 'RU'),
    ],
    [
      'reads the Russian trunk prefix 8',
      '8 495 1234567',
      'RU',
      ok('+74951234567', 'fixed_line', 'RU'),
    ],
    ['detects a Russian mobile', '8 (916) 123-45-67', 'RU', ok('+79161234567', 'mobile', 'RU')],
    [
      'reads 11 Russian digits without a plus',
      '79161234567',
      'RU',
      ok('+79161234567', 'mobile', 'RU'),
    ],
    ['detects Russian toll-free', '8 800 555 35 35', 'RU', ok('+78005553535', 'toll_free', 'RU')],
    [
      'tells Kazakhstan from Russia inside +7',
      '+7 7172 123456',
      'RU',
      ok('+77172123456', 'fixed_line', 'KZ'),
    ],
    [
      'reads a US number with dots',
      '212.555.1234',
      'US',
      ok('+12125551234', 'fixed_line_or_mobile', 'US'),
    ],
    [
      'reads a US number with parentheses',
      '(212) 555-1234',
      'US',
      ok('+12125551234', 'fixed_line_or_mobile', 'US'),
    ],
    [
      'reads +1 whatever the default country',
      '+1-212-555-0123',
      'RU',
      ok('+12125550123', 'fixed_line_or_mobile', 'US'),
    ],
    ['detects US toll-free', '1 (800) 555-1234', 'US', ok('+18005551234', 'toll_free', 'US')],
    [
      'reads 00 as the international prefix',
      '00 44 20 7946 0958',
      'RU',
      ok('+442079460958', 'fixed_line', 'GB'),
    ],
    [
      'reads the US international prefix 011',
      '011 44 20 7946 0958',
      'US',
      ok('+442079460958', 'fixed_line', 'GB'),
    ],
    ['detects a German mobile', '+49 1512 3456789', 'DE', ok('+4915123456789', 'mobile', 'DE')],
    [
      'drops an x extension',
      '(415) 555-2671 x123',
      'US',
      ok('+14155552671', 'fixed_line_or_mobile', 'US'),
    ],
    [
      'drops an ext. extension',
      '(415) 555-2671 ext. 12',
      'US',
      ok('+14155552671', 'fixed_line_or_mobile', 'US'),
    ],
    [
      'drops a Russian доб. extension',
      '+7 495 123-45-67 доб. 12',
      'RU',
      ok('+74951234567', 'fixed_line', 'RU'),
    ],
    [
      'drops a Russian вн. extension',
      '+7 (916) 123-45-67 вн. 5',
      'RU',
      ok('+79161234567', 'mobile', 'RU'),
    ],
    [
      'reads an international number without a default country',
      '+44 20 7946 0958',
      null,
      ok('+442079460958', 'fixed_line', 'GB'),
    ],
    ['rejects the unassigned US area code 555', '555.123.4567', 'US', bad('invalid number')],
    ['rejects all zeros as a placeholder', '0000000', 'US', bad('placeholder digits')],
    [
      'rejects repeated nines as a placeholder',
      '+7 999 999-99-99',
      'RU',
      bad('placeholder digits'),
    ],
    ['rejects letters', '1-800-FLOWERS', 'US', bad('contains letters')],
    ['rejects Cyrillic letters', 'нет телефона', 'RU', bad('contains letters')],
    ['rejects too few digits', '123', 'US', bad('too short')],
    ['rejects too many digits', '12345678901234567890', 'US', bad('too long')],
    ['rejects a Russian mobile one digit short', '8-916-123-45-6', 'RU', bad('invalid number')],
    [
      'rejects an unknown country calling code',
      '+999 123 456 789',
      'US',
      bad('invalid country calling code'),
    ],
    [
      'needs a default country for a national number',
      '916 123 45 67',
      null,
      bad('no country for national number'),
    ],
    ['rejects punctuation only', '--', 'US', bad('not a phone number')],
    ['flags empty input', '  ', 'US', bad('empty')],
    ['flags null', null, 'US', bad('empty')],
  ])('%s', (_behaviour, raw, country, expected) => {
    expect(standardisePhone(raw, country)).toEqual(expected);
  });
});
