import { DuckDBInstance } from '@duckdb/node-api';
import {
  isBot,
  parseDate,
  parseTimestamp,
  registerStandardiseUdfs,
  standardiseAddress,
  standardiseEmail,
  standardiseName,
  standardisePhone,
} from '../transforms/standardise/index.ts';

/** Options for the standardisation benchmark. */
export interface StandardiseBenchOptions {
  /** Values per function in the TypeScript loops. Default 50 000. */
  rows?: number;
  /** Rows per UDF in the DuckDB queries. Default 200 000. */
  sqlRows?: number;
}

const FIRST = [
  'John',
  'Mary',
  'Иван',
  'Анна',
  'Robert',
  'Екатерина',
  'William',
  'Дмитрий',
  'Elizabeth',
  'Юлия',
];
const LAST = [
  'Smith',
  'Иванов',
  'Johnson',
  'Петрова',
  "O'Brien",
  'Щукин',
  'García',
  'Кузнецова',
  'van Dyke',
  'Lee',
];
const PHONES = [
  '+7 (916) 1##-##-##',
  '8 495 ###-##-##',
  '(212) 555-####',
  '+1-650-253-####',
  '00 44 20 7946 ####',
  '8 (800) 555-##-##',
];
const DATES = [
  '2024-03-1#',
  '1#.03.2024',
  '03/1#/2024',
  '1# марта 1985',
  'March 1#, 1990',
  '2024-03-1# 09:15',
];

/** Deterministic pseudo-random numbers so every run measures the same inputs. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function fill(template: string, next: () => number): string {
  return template.replace(/#/g, () => String(Math.floor(next() * 10)));
}

function pick<T>(list: readonly T[], next: () => number): T {
  return list[Math.floor(next() * list.length)]!;
}

function perSecond(count: number, work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Math.round(count / seconds);
}

/**
 * Measures throughput of the standardisation functions, row by row in
 * TypeScript and as DuckDB UDFs over a generated table. Returns values per
 * second keyed by function.
 */
export async function run(opts: StandardiseBenchOptions = {}): Promise<Record<string, number>> {
  const rows = opts.rows ?? 50_000;
  const sqlRows = opts.sqlRows ?? 200_000;
  const next = lcg(42);
  const names = Array.from({ length: rows }, () => ({
    full_name: `${pick(FIRST, next)} ${pick(LAST, next)}`,
  }));
  const phones = Array.from({ length: rows }, () => fill(pick(PHONES, next), next));
  const emails = Array.from(
    { length: rows },
    (_, i) => `First.Last+${i}@${pick(['gmail.com', 'mail.ru', 'example.com'], next)}`,
  );
  const addresses = Array.from({ length: rows }, (_, i) => ({
    address: `${i % 500} Main Street, Apt ${i % 40}`,
    postcode: '02134-1234',
    city: 'Boston',
    country: 'USA',
  }));
  const dates = Array.from({ length: rows }, () => fill(pick(DATES, next), next));
  const agents = Array.from({ length: rows }, (_, i) =>
    i % 5 === 0
      ? 'curl/8.4.0'
      : 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  );

  const results: Record<string, number> = {
    names_per_sec: perSecond(rows, () => names.forEach((n) => standardiseName(n))),
    phones_per_sec: perSecond(rows, () =>
      phones.forEach((p, i) => standardisePhone(p, i % 2 === 0 ? 'RU' : 'US')),
    ),
    emails_per_sec: perSecond(rows, () => emails.forEach((e) => standardiseEmail(e))),
    addresses_per_sec: perSecond(rows, () => addresses.forEach((a) => standardiseAddress(a, 'US'))),
    dates_per_sec: perSecond(rows, () => dates.forEach((d) => parseDate(d))),
    timestamps_per_sec: perSecond(rows, () =>
      dates.forEach((d) => parseTimestamp(d, { zone: 'Europe/Moscow' })),
    ),
    user_agents_per_sec: perSecond(rows, () => agents.forEach((a) => isBot(a))),
  };

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    registerStandardiseUdfs(connection);
    await connection.run(`
      create table t as
      select '8 (916) ' || lpad((1000000 + i % 8999999)::varchar, 7, '0') as phone,
             case i % 4 when 0 then 'Александр' when 1 then 'Bobby' when 2 then 'Щукина' else 'O''Brien' end as name
      from range(${sqlRows}) r(i)`);
    for (const [label, expression] of [
      ['sql_phone_e164_rows_per_sec', "cdw_phone_e164(phone, 'RU')"],
      ['sql_name_key_rows_per_sec', 'cdw_name_key(name)'],
      ['sql_given_name_key_rows_per_sec', 'cdw_given_name_key(name)'],
    ] as const) {
      const start = process.hrtime.bigint();
      await connection.run(`select count(${expression}) from t`);
      results[label] = Math.round(sqlRows / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return results;
}
