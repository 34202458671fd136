import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../foundation/logger.ts';
import { Rng, STREAM, uniformOf } from './rng.ts';
import { nightDay, isoDate } from './calendar.ts';
import { randomAddress } from './addresses.ts';
import { formatPhone, ruMobile, usNumber } from './phones.ts';
import { NEVER, addressOn, surnameOn, type Household, type Person } from './model.ts';
import { familyName, freeMail } from './people.ts';
import { households, type PopulationSpec } from './households.ts';
import { FIRST_ORDINARY_PERSON } from './scenarios.ts';
import { eventTime } from './render.ts';
import { MANIFEST_DIR } from './demo-dir.ts';
import { nightFile, type NightResult } from './manifest.ts';
import { DemoError } from './errors.ts';
import { Tally } from './tally.ts';
import { CsvTableSink } from './sinks/csv-table-sink.ts';
import type { Cell } from './sinks/table-spec.ts';
import { DEFAULT_NOISE, type NoiseModel } from './noise.ts';
import { ACCOUNTS, accountRow, planAccount, type AccountPlan } from './systems/billing-accounts.ts';
import { CUSTOMERS, customerRow, planCustomer, type CustomerPlan } from './systems/erp-customers.ts';

/** What changes about a person on a change night: the life events the demo's own nights have. */
export type LifeChange = 'moved' | 'new_contact' | 'married';
const CHANGES: readonly LifeChange[] = ['moved', 'new_contact', 'married'];

/** Event kinds for `eventTime` (the demo's own nights use 1–5 and 11–12). */
const CHANGE_KIND: Record<LifeChange, number> = { moved: 21, new_contact: 22, married: 23 };

/** Persons between awaits of the sinks, as in generateDemo. */
const DRAIN_EVERY = 256;

export interface ChangeNightOptions {
  /** A demo folder written by generateDemo with CSV extracts (its `nights/index.json` names seed, size and noise). */
  readonly dir: string;
  /** Share of the persons with a billing account or ERP customer whose details change (0–1). */
  readonly rate: number;
  readonly logger: Logger;
}

/** The head of `nights/index.json`: what generateDemo was asked for, and the nights it wrote. */
interface DemoIndex {
  readonly seed: number;
  readonly customers: number;
  readonly noise?: NoiseModel;
  readonly storage: { readonly billing: string; readonly erp: string };
  readonly nights: readonly { night: number; date: string; manifest: string; persons: number; truth_rows: number }[];
  readonly totals: Record<string, number>;
}

/**
 * Writes one more night into a generated demo in which only a share `rate` of the persons
 * change — they move, get a new mobile and e-mail, or marry and take a new name — and nothing
 * else happens: no new households or party records, no invoices, orders, sales, calls, web
 * hits or campaigns, and none of the demo's own life events of that night. Only billing and
 * the ERP learn of a change (loyalty cards are never updated), on its night, on the person's
 * main account and customer; so the persons who can change are those holding one of the two.
 * Who changes and how is drawn from `STREAM.changes` per person and night: deterministic, and
 * the demo's other files are untouched. It is the last night of the folder: a later demo
 * night would not know of these changes.
 */
export async function generateChangeNight(opts: ChangeNightOptions): Promise<NightResult> {
  const dir = path.resolve(opts.dir);
  const index = readIndex(dir);
  if (index.storage.billing !== 'csv' || index.storage.erp !== 'csv') {
    throw new DemoError('demo_change_night_needs_files', 'a change night is written as CSV extracts; this demo keeps billing or the ERP in a database');
  }
  const before = index.nights.length;
  const night = before + 1;
  const spec: PopulationSpec = { seed: index.seed, customers: index.customers, noise: index.noise ?? DEFAULT_NOISE };
  const date = isoDate(nightDay(night));
  const tally = new Tally();
  const billing = new CsvTableSink(dir);
  const erp = new CsvTableSink(dir, { bom: true });
  const accounts = billing.open(ACCOUNTS, date);
  const customers = erp.open(CUSTOMERS, date);
  let persons = 0;
  let hh = 0;
  try {
    for (const h of households(spec, before)) {
      hh++;
      for (const p of h.members) {
        persons++;
        const change = changeOf(spec, p, night, opts.rate);
        if (change !== undefined) {
          const a = changedAccount(spec, p, change, night);
          const c = changedCustomer(spec, p, change, night);
          if (a !== undefined) accounts.write(a);
          if (c !== undefined) customers.write(c);
          if (a !== undefined || c !== undefined) tally.add(`changes.${change.kind}`);
        }
        if (persons % DRAIN_EVERY === 0) await Promise.all([billing.drain(), erp.drain()]);
      }
    }
  } finally {
    await billing.close();
    await erp.close();
  }
  tally.add('billing.account_updated', accounts.rows);
  tally.add('erp.customer_updated', customers.rows);
  const result: NightResult = {
    night,
    date,
    persons,
    households: hh,
    written: { [billing.location(ACCOUNTS, date)]: accounts.rows, [erp.location(CUSTOMERS, date)]: customers.rows },
    truthRows: 0,
    badRows: [],
    counts: tally.toJSON(),
  };
  appendToIndex(dir, index, result);
  opts.logger.info(`demo change night ${night} (${date}): ${changeCount(result.counts)} of ${persons} persons changed, nothing else`);
  return result;
}

/** Persons changed on a change night, from its counts. */
export function changeCount(counts: Readonly<Record<string, number>>): number {
  return CHANGES.reduce((n, k) => n + (counts[`changes.${k}`] ?? 0), 0);
}

/** A person as changed on `night`, and how; the person's own later life events are left out. */
export interface PersonChange {
  readonly kind: LifeChange;
  readonly person: Person;
}

/**
 * Whether and how person `p` changes on change night `night` (the demo's nights before it are
 * 1…night-1): undefined for persons not drawn, showcase persons, or persons holding neither a billing account nor an ERP
 * customer by then (no system would learn of the change).
 */
export function changeOf(spec: PopulationSpec, p: Person, night: number, rate: number): PersonChange | undefined {
  // Showcase persons keep to their scripts, so the demo's stories read the same.
  if (p.index < FIRST_ORDINARY_PERSON || !holdsUpdatableRecord(p, night - 1)) return undefined;
  if (uniformOf(spec.seed, STREAM.changes, p.index, night) >= rate) return undefined;
  const rng = Rng.of(spec.seed, STREAM.changes, p.index, night, 1);
  const settled = asOf(p, night - 1);
  let kind = rng.weighted<LifeChange>([['moved', 40], ['new_contact', 45], ['married', 15]]);
  // A name change by marriage: a woman who has not married during the demo already.
  if (kind === 'married' && (p.gender !== 'F' || settled.marryNight !== NEVER)) kind = 'new_contact';
  if (kind === 'moved') {
    const h = settled.household;
    const from = addressOn(settled, night - 1);
    const moved: Household = { ...h, address: from, newAddress: randomAddress(rng, p.market, rng.chance(0.75) ? from : undefined), moveNight: night };
    return { kind, person: { ...settled, household: moved } };
  }
  if (kind === 'married') {
    const current = surnameOn(settled, night - 1);
    let marriedName = familyName(rng, p.market, 'F');
    while (marriedName === current) marriedName = familyName(rng, p.market, 'F');
    return { kind, person: { ...settled, marryNight: night, marriedName } };
  }
  const h = settled.household;
  const mobile = p.market === 'US' ? usNumber(rng, rng.pick(h.address.market === 'US' ? h.address.city.areaCodes : ['917'])) : ruMobile(rng);
  let email = p.email;
  while (email === p.email) email = freeMail(rng, p.market, p.first, surnameOn(settled, night - 1), p.index, 1970 + Math.floor(p.birthDay / 365.25));
  return { kind, person: { ...settled, mobile, email } };
}

function holdsUpdatableRecord(p: Person, night: number): boolean {
  return (p.member.billing > 0 && p.member.billingNight <= night) || (p.member.erp > 0 && p.member.erpNight <= night);
}

/** The person as the demo's nights up to `night` left them: life events after it never happen. */
function asOf(p: Person, night: number): Person {
  const by = (n: number) => (n <= night ? n : NEVER);
  const h = p.household;
  return {
    ...p,
    household: { ...h, moveNight: by(h.moveNight) },
    marryNight: by(p.marryNight),
    marriedName: p.marryNight <= night ? p.marriedName : undefined,
    closeNight: by(p.closeNight),
    deceasedNight: by(p.deceasedNight),
    optOutNight: by(p.optOutNight),
  };
}

/**
 * The person's main billing account after the change, or undefined when there is none yet or
 * the change shows nowhere in it (no e-mail and a landline, say): then billing has no reason to
 * touch the record.
 */
function changedAccount(spec: PopulationSpec, p: Person, change: PersonChange, night: number): Cell[] | undefined {
  if (p.member.billing === 0 || p.member.billingNight >= night) return undefined;
  // Planned from the person as generated, so the record keeps every choice (and typo) it had.
  const plan = planAccount(spec.seed, p, 0, undefined, spec.noise);
  const was: AccountPlan = { ...plan, events: plan.events.filter(([n]) => n < night) };
  const q = change.person;
  const now: AccountPlan = {
    ...was,
    ...(change.kind === 'new_contact' ? newContact(plan, p, q, (d) => `+${d}`) : {}),
    events: [...was.events, [night, eventTime(spec.seed, p, night, CHANGE_KIND[change.kind])]],
  };
  return changedRow(accountRow(now, q, night, false), accountRow(was, asOf(p, night - 1), night - 1, false));
}

/** The person's main ERP customer after the change, or undefined (as for the billing account). */
function changedCustomer(spec: PopulationSpec, p: Person, change: PersonChange, night: number): Cell[] | undefined {
  if (p.member.erp === 0 || p.member.erpNight >= night) return undefined;
  const plan = planCustomer(spec.seed, p, 0, undefined, spec.noise);
  // Of the demo's own events, what the ERP knew by the night before; this change it learns at once.
  const by = (n: number) => (n < night ? n : NEVER);
  const was: CustomerPlan = { ...plan, moveNight: by(plan.moveNight), marryNight: by(plan.marryNight), events: plan.events.filter(([n]) => n < night) };
  const q = change.person;
  const now: CustomerPlan = {
    ...was,
    ...(change.kind === 'new_contact' ? newContact(plan, p, q, (d) => formatPhone(d, 'national')) : {}),
    moveNight: change.kind === 'moved' ? night : was.moveNight,
    marryNight: change.kind === 'married' ? night : was.marryNight,
    events: [...was.events, [night, eventTime(spec.seed, p, night, CHANGE_KIND[change.kind])]],
  };
  return changedRow(customerRow(now, q, night), customerRow(was, asOf(p, night - 1), night - 1));
}

/** `now` when it differs from `was` in more than its last cell (updated_at), else undefined. */
function changedRow(now: Cell[], was: Cell[]): Cell[] | undefined {
  return now.slice(0, -1).some((v, i) => v !== was[i]) ? now : undefined;
}

/**
 * A record's phone and e-mail after a new mobile and e-mail: the mobile is replaced where the
 * record held the old one (in the system's format), the e-mail wherever it held one of the
 * person's own (typo'd or not); landlines, switchboards and shared mailboxes stay.
 */
function newContact(plan: { phone: string | null; email: string | null }, p: Person, q: Person, format: (digits: string) => string): { phone: string | null; email: string | null } {
  return {
    phone: plan.phone === format(p.mobile) ? format(q.mobile) : plan.phone,
    email: plan.email !== null && plan.email !== p.sharedEmail ? q.email : plan.email,
  };
}

function readIndex(dir: string): DemoIndex {
  return JSON.parse(readFileSync(path.join(dir, MANIFEST_DIR, 'index.json'), 'utf8')) as DemoIndex;
}

/** Adds the night to the manifest: its own file, its line in the index, its counts in the totals. */
function appendToIndex(dir: string, index: DemoIndex, r: NightResult): void {
  const folder = path.join(dir, MANIFEST_DIR);
  writeFileSync(path.join(folder, nightFile(r.night)), `${JSON.stringify(r, null, 2)}\n`);
  const totals = new Tally();
  for (const [k, v] of Object.entries(index.totals)) totals.add(k, v);
  for (const [k, v] of Object.entries(r.counts)) totals.add(k, v);
  const next = {
    ...index,
    nights: [...index.nights, { night: r.night, date: r.date, manifest: nightFile(r.night), persons: r.persons, truth_rows: r.truthRows }],
    totals: totals.toJSON(),
  };
  writeFileSync(path.join(folder, 'index.json'), `${JSON.stringify(next, null, 2)}\n`);
}
