import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { generateDemo } from '../../demo/generate-demo.ts';
import { EN_FEMALE, EN_MALE } from '../../demo/data/names-en.ts';
import { RU_FEMALE, RU_MALE } from '../../demo/data/names-ru.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import {
  groupBy,
  readCards,
  readCsv,
  readNightly,
  readTruth,
  type Row,
  type TruthRow,
} from './read-demo.ts';

/** The combined format plus the Cookie header, as the demo's nginx writes it. */
const LOG_LINE = /^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} \d+ "[^"]*" "[^"]*" "[^"]*"$/;

describe('demo generator: the problems real data has are in the files', () => {
  const tmp = tempDir('cdw-demo-messy-');
  let truth: TruthRow[];
  let personOf: Map<string, TruthRow>;
  let accounts: (Row & { _date: string })[];
  let customers: (Row & { _date: string })[];
  let cards: Row[];
  const person = (source: string, key: string) => personOf.get(`${source}:${key}`)!;

  beforeAll(async () => {
    await generateDemo({ dir: tmp.dir, customers: 400, nights: 3, seed: 42, logger: silentLogger });
    truth = readTruth(tmp.dir);
    personOf = new Map(truth.map((t) => [`${t.source}.${t.source_table}:${t.record_key}`, t]));
    accounts = readNightly(tmp.dir, 'billing', 'accounts_');
    customers = readNightly(tmp.dir, 'erp', 'customers_');
    cards = readCards(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  const firstNight = (rows: (Row & { _date: string })[]) =>
    rows.filter((r) => r._date === '2026-11-01' && !r._broken);

  it('has nicknames: the same person as Robert in billing and Bob in the ERP, Александр and Саша', () => {
    const nicks = new Map<string, readonly string[]>(
      [...EN_MALE, ...EN_FEMALE, ...RU_MALE, ...RU_FEMALE].map((g) => [g.name, g.nicks]),
    );
    const billingFirst = new Map(
      firstNight(accounts).map((a) => [
        person('billing.accounts', a.account_id!).person_id,
        a.first_name!,
      ]),
    );
    const pairs = firstNight(customers)
      .map(
        (c) =>
          [
            billingFirst.get(person('erp.customers', c.customer_no!).person_id),
            c.first_name!,
          ] as const,
      )
      .filter(([b, e]) => b !== undefined && (nicks.get(b) ?? []).includes(e));
    expect(pairs).toContainEqual(['Robert', 'Bob']);
    const holders = new Map(
      cards.map((c) => [person('pos.loyalty_cards', c.card_no!).person_id, c.holder_name!]),
    );
    const sasha = firstNight(customers).find(
      (c) =>
        c.first_name === 'Саша' &&
        holders.get(person('erp.customers', c.customer_no!).person_id)?.includes('Александр'),
    );
    expect(sasha).toBeDefined();
  });

  it('spells a Russian in Cyrillic in one system and in Latin letters in another', () => {
    const erpByPerson = new Map(
      firstNight(customers).map((c) => [person('erp.customers', c.customer_no!).person_id, c]),
    );
    const both = firstNight(accounts).filter((a) => {
      const c = erpByPerson.get(person('billing.accounts', a.account_id!).person_id);
      return (
        c !== undefined &&
        /[А-Яа-яЁё]/.test(c.last_name!) &&
        /^[A-Za-z' .-]+$/.test(a.last_name ?? '')
      );
    });
    expect(both.length).toBeGreaterThan(5);
  });

  it('swaps first and last name in some records', () => {
    const erpByPerson = new Map(
      firstNight(customers).map((c) => [person('erp.customers', c.customer_no!).person_id, c]),
    );
    const swapped = firstNight(accounts).filter((a) => {
      const c = erpByPerson.get(person('billing.accounts', a.account_id!).person_id);
      return (
        c !== undefined &&
        a.first_name &&
        c.first_name === a.last_name &&
        c.last_name === a.first_name
      );
    });
    expect(swapped.map((a) => [a.first_name, a.last_name])).toContainEqual(['Kevin', 'Baker']);
  });

  it('moves people: the same account gets a new address on a later night', () => {
    const byKey = groupBy(accounts, (a) => a.account_id!);
    const moved = [...byKey.values()].filter(
      (rows) =>
        rows.length > 1 &&
        rows.some((r) => r.address !== rows[0]!.address && r.postcode !== rows[0]!.postcode),
    );
    expect(moved.length).toBeGreaterThan(0);
    for (const rows of moved)
      expect(rows[rows.length - 1]!.updated_at! > rows[0]!.updated_at!).toBe(true);
  });

  it('marries people: the same account gets a new family name on a later night, the loyalty card keeps the old one', () => {
    const byKey = groupBy(accounts, (a) => a.account_id!);
    const married = [...byKey.values()].filter(
      (rows) =>
        rows.length > 1 &&
        rows[0]!.last_name &&
        rows.some((r) => r.last_name !== rows[0]!.last_name),
    );
    const names = married.map((rows) => [rows[0]!.last_name, rows[rows.length - 1]!.last_name]);
    expect(names).toContainEqual(['Volkova', 'Orlova']);
    const card = cards.find((c) => c.holder_name!.startsWith('Волкова Екатерина'));
    expect(card).toBeDefined();
  });

  it('shares a home: different people with the same address and landline, and a spouse without the car insurance the other has', () => {
    const night1 = firstNight(accounts).filter((a) => a.address && a.phone);
    const groups = groupBy(night1, (a) => `${a.address}|${a.phone}`);
    const shared = [...groups.values()].filter(
      (g) => new Set(g.map((a) => person('billing.accounts', a.account_id!).person_id)).size > 1,
    );
    expect(shared.length).toBeGreaterThan(0);
    for (const g of shared)
      expect(
        new Set(g.map((a) => person('billing.accounts', a.account_id!).household_id)).size,
      ).toBe(1);

    const invoices = readNightly(tmp.dir, 'billing', 'invoices_');
    const carInsured = new Set(
      invoices.filter((i) => i.product === 'car insurance').map((i) => i.account_id!),
    );
    const hh = groupBy(
      firstNight(accounts).map((a) => ({ a, t: person('billing.accounts', a.account_id!) })),
      (x) => x.t.household_id,
    );
    const crossSell = [...hh.values()].filter((m) => {
      const people = groupBy(m, (x) => x.t.person_id);
      const insured = [...people.values()].map((accts) =>
        accts.some((x) => carInsured.has(x.a.account_id!)),
      );
      return insured.includes(true) && insured.includes(false);
    });
    expect(crossSell.length).toBeGreaterThan(0);
  });

  it('has different people with the same name in the same city', () => {
    const groups = groupBy(
      firstNight(accounts).filter((a) => a.first_name),
      (a) => `${a.first_name} ${a.last_name} ${a.city}`,
    );
    const namesakes = [...groups.values()].filter(
      (g) => new Set(g.map((a) => person('billing.accounts', a.account_id!).person_id)).size > 1,
    );
    expect(namesakes.map((g) => g[0]!.first_name + ' ' + g[0]!.last_name)).toContain(
      'Michael Brown',
    );
  });

  it('has duplicate accounts of one person inside one system', () => {
    const perPerson = groupBy(
      truth.filter((t) => t.source === 'billing'),
      (t) => t.person_id,
    );
    expect([...perPerson.values()].filter((g) => g.length > 1).length).toBeGreaterThan(0);
  });

  it('writes phone numbers libphonenumber-js accepts, in each source’s own format', () => {
    const e164 = firstNight(accounts)
      .map((a) => a.phone!)
      .filter(Boolean);
    expect(
      e164.every((p) => /^\+\d{11}$/.test(p) && parsePhoneNumberFromString(p)?.isValid()),
    ).toBe(true);
    const erp = firstNight(customers).filter((c) => c.phone && !c._broken);
    for (const c of erp) {
      const country = /Russia|Россия|RU/.test(c.country!) ? 'RU' : 'US';
      expect(
        parsePhoneNumberFromString(c.phone!, country)?.isValid(),
        `${c.phone} ${country}`,
      ).toBe(true);
    }
    expect(erp.some((c) => c.phone!.startsWith('8 ('))).toBe(true);
    expect(erp.some((c) => /^\(\d{3}\) \d{3}-\d{4}$/.test(c.phone!))).toBe(true);
    const calls = readNightly(tmp.dir, 'contact_center', 'calls_').filter(
      (c) => c.caller !== 'anonymous' && !c.started_at!.includes('-02-30'),
    );
    expect(calls.length).toBeGreaterThan(5);
    for (const c of calls)
      expect(parsePhoneNumberFromString(c.caller!, 'US')?.isValid(), c.caller).toBe(true);
  });

  it('bills every day of the month, so each later night has invoices issued that day and invoices paid that day', () => {
    for (const date of ['2026-11-02', '2026-11-03']) {
      const rows = readCsv(path.join(tmp.dir, `billing/invoices_${date}.csv`));
      expect(rows.filter((r) => r.issued_at!.startsWith(date)).length, date).toBeGreaterThan(0);
      expect(
        rows.filter(
          (r) =>
            r.status === 'paid' && r.updated_at!.startsWith(date) && !r.issued_at!.startsWith(date),
        ).length,
        date,
      ).toBeGreaterThan(0);
    }
  });

  it('writes dates differently per source', () => {
    expect(
      cards.filter((c) => c.birth_date).every((c) => /^\d{2}\.\d{2}\.\d{4}$/.test(c.birth_date!)),
    ).toBe(true);
    expect(
      firstNight(accounts)
        .filter((a) => a.birth_date)
        .every((a) => /^\d{4}-\d{2}-\d{2}$/.test(a.birth_date!)),
    ).toBe(true);
    const us = readCsv(path.join(tmp.dir, 'pos/us/sales_2026-11-01.csv'));
    expect(us[0]!.timestamp).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} (AM|PM)$/);
  });

  it('leaves fields missing and marks accounts closed', () => {
    const night1 = firstNight(accounts);
    expect(night1.some((a) => !a.email)).toBe(true);
    expect(night1.some((a) => !a.birth_date)).toBe(true);
    expect(night1.some((a) => a.name && !a.first_name)).toBe(true);
    expect(night1.some((a) => a.status === 'closed')).toBe(true);
  });

  it('has bots and broken lines in the web log, which is rotated once', () => {
    const web = path.join(tmp.dir, 'web');
    expect(readdirSync(web).sort()).toEqual(['access.log', 'access.log.1']);
    const lines = ['access.log.1', 'access.log'].flatMap((f) =>
      readFileSync(path.join(web, f), 'utf8').split('\n').slice(0, -1),
    );
    expect(lines.some((l) => l.includes('Googlebot'))).toBe(true);
    expect(lines.some((l) => l.includes('"curl/'))).toBe(true);
    expect(lines.filter((l) => !LOG_LINE.test(l)).length).toBe(9);
    expect(lines.some((l) => l.includes('/login?user=u'))).toBe(true);
    expect(lines.some((l) => / - u\d+ \[/.test(l))).toBe(true);
    expect(lines.some((l) => l.endsWith('"-"') === false && l.includes('_vid='))).toBe(true);
    const times = readFileSync(path.join(web, 'access.log.1'), 'utf8')
      .split('\n')
      .filter((l) => LOG_LINE.test(l))
      .map((l) => l.slice(l.indexOf('[') + 1, l.indexOf(']')));
    expect(times).toEqual([...times].sort());
  });

  it('has a few genuinely bad rows, each listed in the night manifest', () => {
    const ru = readFileSync(path.join(tmp.dir, 'pos/sales_2026-11-01.csv'));
    const lines = new TextDecoder('windows-1251').decode(ru).split('\r\n').filter(Boolean);
    expect(lines.filter((l) => l.split(';').length !== 9)).toHaveLength(1);
    expect(cards.filter((c) => c.birth_date?.startsWith('30.02.'))).toHaveLength(1);
    const erpLines = readFileSync(path.join(tmp.dir, 'erp/customers_2026-11-01.csv'), 'utf8').split(
      '\n',
    );
    expect(
      erpLines.filter((l) => l.includes('Smith, Jones & Co') && !l.includes('"Smith, Jones & Co"')),
    ).toHaveLength(1);
    expect(accounts.filter((a) => a.birth_date?.endsWith('-02-30'))).toHaveLength(1);
    expect(customers.filter((c) => c._broken)).toHaveLength(1);
    const tickets = readFileSync(
      path.join(tmp.dir, 'contact_center/tickets_2026-11-02.jsonl'),
      'utf8',
    )
      .split('\n')
      .filter(Boolean);
    expect(
      tickets.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      }),
    ).toHaveLength(1);
    const manifest = JSON.parse(
      readFileSync(path.join(tmp.dir, 'nights/night-001.json'), 'utf8'),
    ) as { badRows: { location: string; reason: string }[] };
    expect(manifest.badRows.map((b) => b.location)).toEqual(
      expect.arrayContaining([
        'billing/accounts_2026-11-01.csv',
        'erp/customers_2026-11-01.csv',
        'pos/loyalty_cards.csv',
        'pos/sales_2026-11-01.csv',
        'contact_center/calls_2026-11-01.csv',
        'contact_center/tickets_2026-11-01.jsonl',
        'web/access.log',
      ]),
    );
  });
});
