import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { generateDemo, type DemoResult } from '../../demo/generate-demo.ts';
import { households } from '../../demo/households.ts';
import { civilFromDays, daysFromCivil } from '../../demo/calendar.ts';
import { PLACEHOLDER_EMAILS } from '../../demo/harsh/contact.ts';
import { storePhone, switchboard } from '../../demo/harsh/phones.ts';
import { SIGNUP_COLUMNS } from '../../demo/systems/web-signups.ts';
import type { Household, Person } from '../../demo/model.ts';
import { parseConfigText } from '../../jobs/config/load.ts';
import { mappedColumns } from '../../jobs/config/semantics.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import {
  groupBy,
  hashDemo,
  readCards,
  readNightly,
  readTruth,
  type Row,
  type TruthRow,
} from './read-demo.ts';

const SEED = 42;
const CUSTOMERS = 2000;
const NIGHTS = 2;

/** The kinds of problem only the harsh model adds, as counted in the manifest (any system). */
const HARSH_KINDS = [
  'typo_first_letter',
  'initial_for_first_name',
  'surname_first_initials',
  'middle_initial_in_first_name',
  'double_barrelled_surname',
  'lower_case_name',
  'latin_look_alike_letter',
  'generational_suffix',
  'generational_suffix_written',
  'generational_suffix_dropped',
  'father_and_son_same_name',
  'signup_email_only',
  'signup_phone_only',
  'signup_email_and_phone',
  'signup_plus_address',
  'signup_email_capitalised',
  'signup_typo_email',
  'foreign_mobile',
  'foreign_phone_without_country_code',
  'phone_without_country_code',
  'switchboard_phone',
  'store_phone',
  'old_phone',
  'typo_phone',
  'shared_mailbox',
  'placeholder_email',
  'birth_date_one_day_off',
  'birth_date_day_month_swapped',
  'birth_date_year_digits_swapped',
  'birth_date_placeholder',
] as const;

const SUFFIX = / (Jr\.?|JR|Sr\.?|SR|II|III|младший|старший|мл\.|ст\.|\(мл\.\)|\(ст\.\))$/;

function lev(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length]!;
}

/** Names a person truly goes by: given name, its short forms, family names. */
function trueNames(p: Person): string[] {
  return [p.first, ...p.given.nicks, p.last, p.maidenName, p.marriedName].filter(
    (x): x is string => x !== undefined,
  );
}

const isoDays = (s: string) => daysFromCivil(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));
const ruDays = (s: string) => daysFromCivil(+s.slice(6, 10), +s.slice(3, 5), +s.slice(0, 2));

/** What a record did to a birth date: exact, one of the harsh slips, or something unexplained. */
function birthSlip(written: number, truth: number): string {
  if (written === truth) return 'exact';
  if (written === daysFromCivil(1900, 1, 1) || written === 0) return 'placeholder';
  if (Math.abs(written - truth) === 1) return 'one_day_off';
  const w = civilFromDays(written);
  const t = civilFromDays(truth);
  if (w.y === t.y && w.m === t.d && w.d === t.m) return 'day_month_swapped';
  if (
    w.m === t.m &&
    w.d === t.d &&
    String(w.y).slice(2) === [...String(t.y).slice(2)].reverse().join('')
  )
    return 'year_digits_swapped';
  return 'unexplained';
}

describe('demo generator, harsh noise: what real multi-system customer data has beyond the standard demo', () => {
  const tmp = tempDir('cdw-demo-harsh-');
  let result: DemoResult;
  let truth: TruthRow[];
  let personOf: Map<string, TruthRow>;
  const people = new Map<string, Person>();
  const homes: Household[] = [];
  let accounts: Row[];
  let customers: Row[];
  let cards: Row[];
  let signups: Row[];
  const dir = () => path.join(tmp.dir, 'harsh');
  const person = (uid: string): Person => people.get(personOf.get(uid)!.person_id)!;

  beforeAll(async () => {
    result = await generateDemo({
      dir: dir(),
      customers: CUSTOMERS,
      nights: NIGHTS,
      seed: SEED,
      noise: 'harsh',
      logger: silentLogger,
    });
    truth = readTruth(dir());
    personOf = new Map(truth.map((t) => [`${t.source}.${t.source_table}:${t.record_key}`, t]));
    for (const h of households({ seed: SEED, customers: CUSTOMERS, noise: 'harsh' }, NIGHTS)) {
      homes.push(h);
      for (const m of h.members) people.set(m.id, m);
    }
    accounts = readNightly(dir(), 'billing', 'accounts_');
    customers = readNightly(dir(), 'erp', 'customers_').filter((c) => !c._broken);
    cards = readCards(dir());
    signups = readNightly(dir(), 'web', 'signups_');
  });
  afterAll(() => tmp.cleanup());

  const ofAccount = (a: Row) => person(`billing.accounts:${a.account_id}`);
  const ofCustomer = (c: Row) => person(`erp.customers:${c.customer_no}`);
  const ofCard = (c: Row) => person(`pos.loyalty_cards:${c.card_no}`);

  it('counts every harsh kind of problem in the manifest, none of which a standard demo has', async () => {
    const byKind = new Map<string, number>();
    for (const [k, v] of Object.entries(result.totals)) {
      const kind = k.slice(k.indexOf('.') + 1);
      byKind.set(kind, (byKind.get(kind) ?? 0) + v);
    }
    for (const kind of HARSH_KINDS) expect(byKind.get(kind) ?? 0, kind).toBeGreaterThan(0);
    const standard = await generateDemo({
      dir: path.join(tmp.dir, 'standard'),
      customers: 300,
      nights: 1,
      seed: SEED,
      logger: silentLogger,
    });
    const kinds = Object.keys(standard.totals).map((k) => k.slice(k.indexOf('.') + 1));
    expect(kinds.filter((k) => (HARSH_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it('misspells the first letter of names (Katherine/Catherine, Oerry for Perry), which the standard model never does', () => {
    const slipped = (written: string, p: Person) => {
      const w = written.replace(SUFFIX, '').toLowerCase();
      const names = trueNames(p).map((n) => n.toLowerCase());
      return (
        !names.includes(w) &&
        names.some((n) => w[0] !== n[0] && lev(w, n) <= 2 && n.length > 3) &&
        names.every((n) => w[0] !== n[0])
      );
    };
    const inBilling = accounts.filter(
      (a) => ofAccount(a).market === 'US' && a.first_name && slipped(a.last_name!, ofAccount(a)),
    );
    const inErp = customers.filter(
      (c) => slipped(c.first_name!, ofCustomer(c)) || slipped(c.last_name!, ofCustomer(c)),
    );
    expect(inBilling.length).toBeGreaterThan(0);
    expect(inErp.length).toBeGreaterThan(0);
  });

  it('writes initials for given names: "J. Perry", "PERRY, J.", "PERRY J", "Иванов И.И."', () => {
    const initialFirst = accounts.filter(
      (a) => ofAccount(a).market === 'US' && a.first_name === `${ofAccount(a).first[0]}.`,
    );
    expect(initialFirst.length).toBeGreaterThan(0);
    expect(accounts.some((a) => /^[A-Z][A-Z' .-]*, [A-Z]\.$/.test(a.name ?? ''))).toBe(true);
    const surnameFirst = cards.filter((c) => {
      const p = ofCard(c);
      const lasts = [p.last, p.maidenName].filter(Boolean);
      if (p.market === 'US')
        return lasts.some((l) => c.holder_name === `${l} ${p.first[0]}`.toUpperCase());
      return lasts.some((l) => c.holder_name === `${l} ${p.first[0]}.${p.middle[0] ?? ''}.`);
    });
    const markets = new Set(surnameFirst.map((c) => ofCard(c).market));
    expect([...markets].sort()).toEqual(['RU', 'US']);
  });

  it('has fathers and sons of one name at one address: two people, the son a Jr/II or младший in some records and not in others', () => {
    const pairs = homes.flatMap((h) => {
      const men = h.members.filter((m) => m.gender === 'M');
      return men.flatMap((a, i) =>
        men
          .slice(i + 1)
          .filter((b) => a.first === b.first && a.last === b.last)
          .map((b) => [a, b] as const),
      );
    });
    // Now and then a son is given his father's name by chance too, with no suffix anywhere.
    const juniors = pairs.filter(([, son]) => son.suffix !== undefined);
    expect(new Set(juniors.map(([a]) => a.market))).toEqual(new Set(['US', 'RU']));
    for (const [father, son] of pairs) {
      const rows = truth.filter((t) => t.person_id === father.id || t.person_id === son.id);
      expect(new Set(rows.map((t) => t.person_id)).size).toBe(2);
      expect(new Set(rows.map((t) => t.household_id)).size).toBe(1);
    }
    for (const [, son] of juniors) expect(son.suffix).toMatch(/^(Jr|II|младший)$/);
    const sons = new Set(juniors.map(([, s]) => s.id));
    const sonRecords = [
      ...accounts.map((a) => [ofAccount(a), a.last_name || a.name!] as const),
      ...customers.map((c) => [ofCustomer(c), c.last_name!] as const),
      ...cards.map((c) => [ofCard(c), c.holder_name!] as const),
    ].filter(([p]) => sons.has(p.id));
    expect(sonRecords.some(([, n]) => / (Jr\.?|JR|II)$/.test(n))).toBe(true);
    expect(sonRecords.some(([, n]) => /(младший|мл\.\)?)$/.test(n))).toBe(true);
    expect(sonRecords.some(([, n]) => !SUFFIX.test(n))).toBe(true);
    // Same name, same street line in billing: only truth tells the two apart.
    const billed = accounts.filter(
      (a) =>
        a.first_name &&
        a.address &&
        (sons.has(ofAccount(a).id) || juniors.some(([f]) => f.id === ofAccount(a).id)),
    );
    const alike = groupBy(
      billed,
      (a) => `${a.first_name}|${a.last_name!.replace(SUFFIX, '')}|${a.address}`,
    );
    expect([...alike.values()].some((g) => new Set(g.map((a) => ofAccount(a).id)).size === 2)).toBe(
      true,
    );
  });

  it('gives other men a generational suffix with no namesake at home', () => {
    const lone = [...people.values()].filter(
      (p) =>
        p.suffix !== undefined && p.household.members.every((m) => m === p || m.first !== p.first),
    );
    expect(lone.length).toBeGreaterThan(0);
    expect(new Set(lone.map((p) => p.suffix))).toEqual(new Set(['Jr', 'II', 'III']));
  });

  it('has web sign-ups without a name, each holding an e-mail and/or a phone of an existing person', () => {
    expect(Object.keys(signups[0]!).filter((k) => k !== '_date')).toEqual([...SIGNUP_COLUMNS]);
    expect(new Set(signups.map((s) => s.form))).toEqual(
      new Set(['newsletter', 'callback', 'account']),
    );
    let ownEmail = 0;
    for (const s of signups) {
      expect(s.email || s.phone, s.signup_id).toBeTruthy();
      expect(
        s.form === 'newsletter' ? !s.phone : s.form === 'callback' ? !s.email : s.email && s.phone,
      ).toBeTruthy();
      const t = personOf.get(`web_signups.signups:${s.signup_id}`)!;
      expect(t).toBeDefined();
      expect(
        truth.filter((r) => r.person_id === t.person_id && r.source !== 'web_signups').length,
      ).toBeGreaterThan(0);
      const p = people.get(t.person_id)!;
      expect(s.site).toBe(p.market);
      if (s.email && s.email.toLowerCase().replace(/\+[a-z]+@/, '@') === p.email) ownEmail++;
    }
    const withEmail = signups.filter((s) => s.email).length;
    expect(ownEmail).toBeGreaterThan(withEmail * 0.95);
    expect(ownEmail).toBeLessThan(withEmail);
    expect(signups.some((s) => s.email?.includes('+'))).toBe(true);
  });

  it('gives some people a mobile of another country, written with and without its country code', () => {
    const foreign = [...people.values()].filter((p) => p.foreignMobile !== undefined);
    const kinds = new Set(
      foreign.map(
        (p) =>
          `${p.market}:${p.foreignMobile!.startsWith('44') ? 'GB' : p.foreignMobile![0] === '7' ? 'RU' : 'US'}`,
      ),
    );
    expect(kinds).toEqual(new Set(['US:GB', 'US:RU', 'RU:GB', 'RU:US']));
    const held = new Map(foreign.map((p) => [p.foreignMobile!, p]));
    const written = [
      ...accounts.map((a) => a.phone!),
      ...customers.map((c) => c.phone!),
      ...cards.map((c) => c.phone!),
      ...signups.map((s) => s.phone!),
    ].filter(Boolean);
    const ukWithCode = written.filter(
      (w) => /^\+44 7\d{3} \d{6}$/.test(w) || /^\+447\d{9}$/.test(w),
    );
    const ukWithout = written.filter((w) => /^07\d{3} \d{6}$/.test(w));
    expect(ukWithCode.length).toBeGreaterThan(0);
    expect(ukWithout.length).toBeGreaterThan(0);
    for (const w of [...ukWithCode, ...ukWithout]) {
      const n = parsePhoneNumberFromString(w, 'GB');
      expect(n?.isValid(), w).toBe(true);
      // The person's foreign mobile, or that number with two digits swapped by a slip.
      const digits = n!.number.slice(1);
      expect(
        [...held.keys()].some(
          (h) =>
            h === digits ||
            (lev(h, digits) === 2 && [...h].sort().join() === [...digits].sort().join()),
        ),
        w,
      ).toBe(true);
    }
    // An American customer's billing account with a UK or Russian mobile, in E.164.
    expect(
      accounts.some((a) => ofAccount(a).market === 'US' && /^\+(44|7)/.test(a.phone ?? '')),
    ).toBe(true);
    // A US card's number without +1, in a file whose other numbers are Russian.
    expect(
      cards.some((c) => c.chain === 'US' && /^\(\d{3}\) \d{3}-\d{4}$/.test(c.phone ?? '')),
    ).toBe(true);
  });

  it('shifts birth dates a day, swaps day and month or the year’s digits, and fills missing ones with placeholders shared by strangers', () => {
    const seen = new Map<string, Set<string>>();
    const note = (p: Person, text: string | undefined, days: (s: string) => number) => {
      if (!text || text.includes('-02-30') || text.startsWith('30.02.')) return;
      const kind = birthSlip(days(text), p.birthDay);
      const s = seen.get(kind) ?? new Set<string>();
      s.add(`${p.id}|${text}`);
      seen.set(kind, s);
    };
    for (const a of accounts) note(ofAccount(a), a.birth_date, isoDays);
    for (const c of customers) note(ofCustomer(c), c.birth_date, isoDays);
    for (const c of cards) note(ofCard(c), c.birth_date, ruDays);
    expect([...seen.keys()].sort()).toEqual([
      'day_month_swapped',
      'exact',
      'one_day_off',
      'placeholder',
      'year_digits_swapped',
    ]);
    const holders = (text: string) =>
      new Set(
        [...seen.get('placeholder')!].filter((k) => k.endsWith(text)).map((k) => k.split('|')[0]),
      );
    for (const text of ['1900-01-01', '01.01.1900', '1970-01-01'])
      expect(holders(text).size, text).toBeGreaterThan(4);
  });

  it('shares identifiers between people: a couple’s mailbox, switchboards and store phones held by strangers, clerks’ placeholder e-mails', () => {
    const records = [
      ...accounts.map((a) => ({
        p: ofAccount(a),
        email: a.email,
        phone: a.phone,
        source: 'billing',
      })),
      ...customers.map((c) => ({
        p: ofCustomer(c),
        email: c.email,
        phone: c.phone,
        source: 'erp',
      })),
      ...cards.map((c) => ({ p: ofCard(c), email: c.email, phone: c.phone, source: 'pos' })),
    ];
    const placeholders: readonly string[] = [...PLACEHOLDER_EMAILS.US, ...PLACEHOLDER_EMAILS.RU];
    const byEmail = groupBy(
      records.filter((r) => r.email),
      (r) => r.email!.toLowerCase(),
    );
    let mailboxes = 0;
    for (const [email, g] of byEmail) {
      const persons = new Set(g.map((r) => r.p.id));
      if (persons.size < 2) continue;
      if (placeholders.includes(email)) continue;
      // Every other e-mail two people hold is a mailbox of their household.
      expect(new Set(g.map((r) => r.p.household.id)).size, email).toBe(1);
      expect(
        g.every((r) => r.p.sharedEmail === email || r.p.email === email),
        email,
      ).toBe(true);
      mailboxes++;
    }
    expect(mailboxes).toBeGreaterThan(0);
    const strangers = (g: { p: Person }[]) => new Set(g.map((r) => r.p.household.id)).size > 1;
    expect([...byEmail].some(([e, g]) => placeholders.includes(e) && strangers(g))).toBe(true);

    const byPhone = groupBy(
      records.filter((r) => r.source === 'billing' && r.phone),
      (r) => r.phone!,
    );
    const shared = [...byPhone].filter(([, g]) => strangers(g));
    expect(shared.length).toBeGreaterThan(0);
    for (const [phone, g] of shared) {
      const company = g[0]!.p.companyName;
      expect(company, phone).toBeDefined();
      expect(g.every((r) => r.p.companyName === company)).toBe(true);
      expect(phone).toBe(`+${switchboard(SEED, company!, g[0]!.p.market)}`);
    }
    const stores = [0, 1, 2, 3, 4].flatMap((i) => [
      storePhone(SEED, 'US', i),
      storePhone(SEED, 'RU', i),
    ]);
    const byDigits = groupBy(
      records.filter((r) => r.source === 'pos' && r.phone),
      (r) => r.phone!.replace(/\D/g, '').slice(-10),
    );
    expect([...byDigits].some(([d, g]) => strangers(g) && stores.some((s) => s.endsWith(d)))).toBe(
      true,
    );
  });

  it('writes names the other ways real systems do: double-barrelled, a middle initial in the first name, lower case, a Latin letter inside a Cyrillic name', () => {
    expect(
      accounts.some((a) => a.last_name === `${ofAccount(a).maidenName}-${ofAccount(a).last}`),
    ).toBe(true);
    expect(
      accounts.some((a) => a.first_name === `${ofAccount(a).first} ${ofAccount(a).middle}.`),
    ).toBe(true);
    expect(
      customers.some((c) => c.first_name === `${ofCustomer(c).first} ${ofCustomer(c).middle}`),
    ).toBe(true);
    expect(
      customers.some(
        (c) => /[a-zа-яё]/.test(c.last_name!) && c.last_name === c.last_name!.toLowerCase(),
      ),
    ).toBe(true);
    expect(
      customers.some((c) =>
        [c.first_name!, c.last_name!].some((w) => /[А-Яа-яЁё]/.test(w) && /[A-Za-z]/.test(w)),
      ),
    ).toBe(true);
  });

  it('holds now and then a number that is none of the person’s, or one with two digits swapped', () => {
    const numbers = (p: Person) =>
      [
        p.mobile,
        p.foreignMobile,
        p.household.landline,
        p.companyName && switchboard(SEED, p.companyName, p.market),
      ].filter((x): x is string => typeof x === 'string');
    let strange = 0;
    let swapped = 0;
    for (const c of customers) {
      if (!c.phone) continue;
      const p = ofCustomer(c);
      const n = parsePhoneNumberFromString(
        c.phone,
        /Russia|Россия|RU/.test(c.country!) ? 'RU' : 'US',
      );
      const digits = n?.number.slice(1) ?? '';
      const known = numbers(p);
      if (known.includes(digits)) continue;
      const near = known.some(
        (k) =>
          k.length === digits.length &&
          lev(k, digits) === 2 &&
          [...k].sort().join() === [...digits].sort().join(),
      );
      if (near) swapped++;
      else strange++;
    }
    expect(strange).toBeGreaterThan(0);
    expect(swapped).toBeGreaterThan(0);
  });

  it('keeps truth exact: every party record once, the sign-ups included, each person in one household', () => {
    const seen = new Set<string>();
    for (const t of truth) {
      const k = `${t.source}.${t.source_table}:${t.record_key}`;
      expect(seen.has(k), k).toBe(false);
      seen.add(k);
    }
    expect([...new Set(truth.map((t) => `${t.source}.${t.source_table}`))].sort()).toEqual([
      'billing.accounts',
      'erp.customers',
      'pos.loyalty_cards',
      'web_signups.signups',
    ]);
    expect(
      new Set(truth.filter((t) => t.source === 'web_signups').map((t) => t.record_key)),
    ).toEqual(new Set(signups.map((s) => s.signup_id!)));
    expect(truth.length).toBe(result.nights.reduce((s, n) => s + n.truthRows, 0));
    for (const t of truth)
      expect(people.get(t.person_id)?.household.id, t.person_id).toBe(t.household_id);
  });

  it('writes a cdw.yaml that reads the sign-ups, mapping only columns the files have', () => {
    const file = path.join(dir(), 'cdw.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`seed ${SEED}, harsh noise`);
    const cfg = parseConfigText(text, file);
    const source = cfg.sources.find((s) => s.name === 'web_signups')!;
    expect(source.kind).toBe('csv');
    const table = source.tables[0]!;
    expect(table.entity).toBe('party');
    for (const col of mappedColumns(table.mapping)) expect(SIGNUP_COLUMNS, col).toContain(col);
    expect(table.mapping.first_name).toBeUndefined();
  });

  it('is reproducible from its seed, and differs from the standard demo of the same seed', async () => {
    const gen = (name: string, noise: 'harsh' | 'standard') =>
      generateDemo({
        dir: path.join(tmp.dir, name),
        customers: 150,
        nights: 1,
        seed: 5,
        noise,
        logger: silentLogger,
      });
    await gen('a', 'harsh');
    await gen('b', 'harsh');
    await gen('c', 'standard');
    expect(hashDemo(path.join(tmp.dir, 'a'))).toBe(hashDemo(path.join(tmp.dir, 'b')));
    expect(hashDemo(path.join(tmp.dir, 'a'))).not.toBe(hashDemo(path.join(tmp.dir, 'c')));
  });
});
