import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { prepareConnection } from '../../transforms/prepare-connection.ts';
import { openPartyStdCache, partyStdVersion } from '../../transforms/staging/party-std-cache.ts';
import { fillPartyStd } from '../../transforms/staging/party-std-fill.ts';
import {
  PARTY_STD_INPUTS,
  partyStdParts,
  type PartyStdInput,
} from '../../transforms/staging/party-std-parts.ts';
import { standardiseInSql } from '../../transforms/staging/party-std-sql.ts';
import { readRawLayout } from '../../transforms/staging/raw-layout.ts';
import { buildTypedTable } from '../../transforms/staging/typed-table.ts';
import { extractedDemo, type ExtractedDemo } from '../helpers/extracted-demo.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';

// E-mails and phone numbers standardised in SQL (party-std-sql.ts: the e-mail macros and the
// phone macros made from libphonenumber's metadata) must give exactly what the JavaScript
// standardisers give, part by part, for every value SQL decides; the rest must be left to the
// JavaScript (NULL from SQL), and then be standardised there.

const FILL = new URL('../../transforms/staging/party-std-fill.ts', import.meta.url).href;
const STANDARDISER_TESTS = ['emails', 'names', 'phones', 'addresses', 'transliterate', 'nicknames'];
const PARTS = ['name', 'email', 'phone', 'mobile'] as const;

function standardiserTestStrings(): string[] {
  const out = new Set<string>();
  for (const name of STANDARDISER_TESTS) {
    const text = readFileSync(new URL(`./standardise/${name}.test.ts`, import.meta.url), 'utf8');
    for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) out.add(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return [...out];
}

interface Compared {
  rows: number;
  /** values SQL decided, per part (non-empty inputs only) */
  decided: Record<(typeof PARTS)[number], number>;
  /** non-empty inputs per part */
  given: Record<(typeof PARTS)[number], number>;
  differ: string[];
}

/**
 * Runs the SQL standardisation over `misses` (k + the party inputs, as party-std-misses.sql
 * makes it) and compares every part it decided with `partyStdParts` on the same inputs.
 */
async function compare(wh: Warehouse, misses: string): Promise<Compared> {
  await standardiseInSql(wh, misses, 'sql_parts');
  const cols = PARTY_STD_INPUTS.map((c) => `"${c}"`).join(', ');
  const rows = (
    await wh.conn.runAndReadAll(
      `SELECT ${cols}, to_json(_sql_name)::VARCHAR, to_json(_sql_email)::VARCHAR, to_json(_sql_phone)::VARCHAR, to_json(_sql_mobile)::VARCHAR, _sql_done FROM temp.sql_parts`,
    )
  ).getRows() as (string | number | null)[][];
  await wh.run('DROP TABLE temp.sql_parts');
  const out: Compared = {
    rows: rows.length,
    decided: { name: 0, email: 0, phone: 0, mobile: 0 },
    given: { name: 0, email: 0, phone: 0, mobile: 0 },
    differ: [],
  };
  const n = PARTY_STD_INPUTS.length;
  for (const r of rows) {
    const inputs = r.slice(0, n) as PartyStdInput;
    const js = partyStdParts(inputs);
    PARTS.forEach((part, i) => {
      const raw = inputs[PARTY_STD_INPUTS.indexOf(part === 'name' ? 'first_name' : part)];
      if (raw !== null && raw !== undefined && raw.trim() !== '') out.given[part]++;
      const sql = r[n + i] as string | null;
      if (sql === null) return;
      if (raw !== null && raw !== undefined && raw.trim() !== '') out.decided[part]++;
      if (JSON.stringify(JSON.parse(sql)) !== JSON.stringify(js[part]))
        out.differ.push(`${part}: SQL ${sql}, JS ${JSON.stringify(js[part])}`);
    });
  }
  return out;
}

/** `misses` from a typed party table, as the transform's fill makes it (every input new). */
async function missesOf(wh: Warehouse, typedTable: string, defaultCountry: string) {
  await runNamed(
    wh.conn,
    sqlFromFile(FILL, 'party-std-misses.sql', {
      ident: { misses: 'std_misses', typed_table: ['staging', typedTable] },
    }),
    { default_country: defaultCountry, std_version: 'none: every input is new' },
  );
  return 'std_misses';
}

async function typedTable(wh: Warehouse, name: string, rows: (string | null)[][]): Promise<void> {
  const cols = PARTY_STD_INPUTS.filter((c) => c !== 'default_country');
  await wh.run(
    `CREATE OR REPLACE TABLE staging.${name} (${cols.map((c) => `${c} VARCHAR`).join(', ')}, _rejected BOOLEAN)`,
  );
  const appender = await wh.conn.createAppender(name, 'staging');
  for (const r of rows) {
    for (const c of cols) {
      const v = r[cols.indexOf(c)] ?? null;
      if (v === null) appender.appendNull();
      else appender.appendVarchar(v);
    }
    appender.appendBoolean(false);
    appender.endRow();
  }
  appender.closeSync();
}

const COLUMNS = PARTY_STD_INPUTS.filter((c) => c !== 'default_country');
const row = (values: Partial<Record<(typeof COLUMNS)[number], string>>) =>
  COLUMNS.map((c) => values[c] ?? null);

describe('e-mails and phones standardised in SQL', () => {
  it('give the keys the JavaScript gives on every input of the standardisers’ test tables', async () => {
    const wh = await memoryWarehouse();
    try {
      await prepareConnection(wh);
      await openPartyStdCache(wh);
      const s = standardiserTestStrings();
      expect(s.length).toBeGreaterThan(300);
      const countries = [null, 'RU', 'Россия', 'US', 'GB', 'DE', 'KZ', 'FR', 'xx'];
      const rows: (string | null)[][] = [];
      // each string as an e-mail, a phone and a mobile, read in each country
      for (let i = 0; i < s.length; i++)
        for (let c = 0; c < countries.length; c++)
          rows.push(
            row({
              email: s[i]!,
              phone: s[i]!,
              mobile: s[(i + c * 7) % s.length]!,
              ...(countries[c] === null ? {} : { country: countries[c]! }),
              ...(c % 3 === 0 && countries[(c + 4) % countries.length]
                ? { phone_country: countries[(c + 4) % countries.length]! }
                : {}),
            }),
          );
      // and given / family names: every string, and words of the surname and given-name lists
      // (a swapped pair: "Smirnov" / "Ivan"), in their own fields
      const words = [
        'Smith',
        'IVANOVA',
        'john',
        'mcdonald',
        'DeShawn',
        'Kozlovskaya',
        'Petrov',
        'Marina',
        'Bob',
        'Smirnov',
        'ivan',
        'Mc',
        'Garcia',
        'Shevchenko',
        'Kevin',
        ' Anna ',
      ];
      for (let i = 0; i < s.length; i++)
        rows.push(row({ first_name: s[i]!, last_name: s[(i * 7 + 1) % s.length]! }));
      for (const first of words)
        for (const last of words) {
          rows.push(row({ first_name: first, last_name: last }));
          rows.push(
            row({
              first_name: first,
              last_name: last,
              full_name: `${last} ${first}`,
              middle_name: ' ',
            }),
          );
          rows.push(row({ first_name: first, last_name: last, title: 'Dr' }));
        }
      await typedTable(wh, '_typed__std_tests', rows);
      for (const dc of ['US', 'RU', 'GB']) {
        const r = await compare(wh, await missesOf(wh, '_typed__std_tests', dc));
        expect(r.differ).toEqual([]);
        // SQL decides a share of them (the test tables are mostly hard cases on purpose)
        expect(r.decided.email).toBeGreaterThan(20);
        expect(r.decided.phone).toBeGreaterThan(20);
        expect(r.decided.name).toBeGreaterThanOrEqual(words.length * words.length * 2);
      }
    } finally {
      wh.close();
    }
  }, 300_000);

  it('leave what SQL cannot decide to the JavaScript, which standardises it', async () => {
    const wh = await memoryWarehouse();
    try {
      await prepareConnection(wh);
      await openPartyStdCache(wh);
      const hard = row({
        email: 'Ivan@Почта.РФ', // a domain that needs punycode
        phone: '+7 701 123 45 67', // Kazakhstan: the second region of +7
        mobile: '8 916 123-45-67 доб. 12', // an extension
        country: 'RU',
      });
      const easy = row({ email: 'Anna@Example.com', phone: '+7 916 123-45-67', country: 'RU' });
      await typedTable(wh, '_typed__std_hard', [hard, easy]);
      const misses = await missesOf(wh, '_typed__std_hard', 'RU');
      await standardiseInSql(wh, misses, 'sql_parts');
      const sql = await wh.all<{ email: string; e: boolean; p: boolean; m: boolean; done: number }>(
        `SELECT email, _sql_email IS NOT NULL AS e, _sql_phone IS NOT NULL AS p, _sql_mobile IS NOT NULL AS m, _sql_done AS done
         FROM temp.sql_parts ORDER BY email`,
      );
      // the easy row: e-mail and phone from SQL, no mobile (all NULL, decided too)
      expect(sql).toEqual([
        { email: 'Anna@Example.com', e: true, p: true, m: true, done: 7 },
        { email: 'Ivan@Почта.РФ', e: false, p: false, m: false, done: 0 },
      ]);
      await wh.run('DROP TABLE temp.sql_parts');
      expect(await fillPartyStd(wh, '_typed__std_hard', { default_country: 'RU' }, undefined)).toBe(
        2,
      );
      const cached = await wh.all<{ email_key: string; phone: string; mobile_valid: boolean }>(
        `SELECT email."key" AS email_key, phone.e164 AS phone, mobile.valid AS mobile_valid
         FROM meta.party_std_cache WHERE version = $1 ORDER BY email_key`,
        [partyStdVersion()],
      );
      const js = partyStdParts([...hard.slice(0, 12), 'RU', null]);
      expect(js.email?.key).toBe('ivan@xn--80a1acny.xn--p1ai');
      expect(cached).toEqual([
        { email_key: 'anna@example.com', phone: '+79161234567', mobile_valid: null },
        { email_key: js.email!.key, phone: js.phone!.e164, mobile_valid: js.mobile!.valid },
      ]);
    } finally {
      wh.close();
    }
  }, 120_000);

  describe('on a generated demo company', () => {
    let demo: ExtractedDemo;
    let wh: Warehouse;

    beforeAll(async () => {
      demo = await extractedDemo({ customers: 3000, seed: 11, prefix: 'cdw-std-sql-' });
      wh = demo.wh;
    }, 300_000);
    afterAll(() => demo?.cleanup());

    it('gives the keys the JavaScript gives on every party record, deciding most of them', async () => {
      const config = demo.config;
      await prepareConnection(wh);
      await openPartyStdCache(wh);
      const total = {
        values: 0,
        decided: 0,
        emails: 0,
        emailsDecided: 0,
        ownValues: 0,
        ownDecided: 0,
      };
      for (const source of config.sources)
        for (const table of source.tables.filter((t) => t.enabled && t.entity === 'party')) {
          const layout = await readRawLayout(wh, table.rawTable);
          if (layout === undefined) continue;
          const typed = await buildTypedTable(wh, source, table, layout, {
            birthDateMinYear: config.transforms.birthDateMinYear,
          });
          // read in the source's own country, and in the others (national numbers change meaning)
          for (const dc of new Set([source.defaultCountry, 'US', 'RU', 'GB'])) {
            const r = await compare(wh, await missesOf(wh, typed, dc));
            expect(r.differ, `${source.name}.${table.name} in ${dc}`).toEqual([]);
            for (const p of PARTS) {
              total.values += r.given[p];
              total.decided += r.decided[p];
            }
            if (dc !== source.defaultCountry) continue;
            total.emails += r.given.email;
            total.emailsDecided += r.decided.email;
            total.ownValues += PARTS.reduce((n, p) => n + r.given[p], 0);
            total.ownDecided += PARTS.reduce((n, p) => n + r.decided[p], 0);
          }
        }
      expect(total.values).toBeGreaterThan(20_000);
      // the demo's e-mails are ASCII; its phones are written in its regions' common shapes
      expect(total.emailsDecided / total.emails).toBeGreaterThan(0.95);
      expect(total.ownDecided / total.ownValues).toBeGreaterThan(0.8);
    }, 300_000);
  });
});
