import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { prepareConnection } from '../../transforms/prepare-connection.ts';
import { openPartyStdCache, partyStdVersion } from '../../transforms/staging/party-std-cache.ts';
import { fillPartyStd } from '../../transforms/staging/party-std-fill.ts';
import { PARTY_STD_INPUTS } from '../../transforms/staging/party-std-parts.ts';
import { StepStdPool } from '../../transforms/staging/party-std-pool.ts';
import { readRawLayout } from '../../transforms/staging/raw-layout.ts';
import { buildTypedTable } from '../../transforms/staging/typed-table.ts';
import { extractedDemo, type ExtractedDemo } from '../helpers/extracted-demo.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';

// Party standardisation in worker threads (party-std-fill.ts) must give exactly the parts the
// SQL functions give inside the party model (party-std.sql, as before the workers): the same
// keys, names, e-mails, phones and addresses, field by field.

const MODEL = new URL('../../transforms/staging/append-std-rows.ts', import.meta.url).href;
const STANDARDISER_TESTS = ['emails', 'names', 'phones', 'addresses', 'transliterate', 'nicknames'];

/** Every single-quoted string of the standardisers' test tables: their inputs (and expectations). */
function standardiserTestStrings(): string[] {
  const out = new Set<string>();
  for (const name of STANDARDISER_TESTS) {
    const text = readFileSync(new URL(`./standardise/${name}.test.ts`, import.meta.url), 'utf8');
    for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) out.add(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return [...out];
}

/**
 * The parts of every row of `typedTable` computed twice: by the SQL functions in the model (the
 * cache ignored) and by the worker threads (then served by the model from the cache). Returns
 * the rows where they differ, and how many rows the model did not find in the cache.
 */
async function compare(
  wh: Warehouse,
  typedTable: string,
  defaultCountry: string,
): Promise<{ rows: number; differ: number; uncached: number; filled: number }> {
  const params = { default_country: defaultCountry };
  const pool = new StepStdPool(2);
  const filled = await fillPartyStd(wh, typedTable, params, pool, 0).finally(() => pool.close());
  const model = (std: string, version: string) =>
    runNamed(
      wh.conn,
      sqlFromFile(MODEL, 'party-std.sql', {
        ident: { std_table: std, typed_table: ['staging', typedTable] },
      }),
      { ...params, std_version: version },
    );
  await model('std_by_sql', 'no such version: every part computed by the SQL functions');
  await model('std_by_threads', partyStdVersion());
  const cols = '_std_key, _addr, _name, _email, _phone, _mobile';
  const differ = await wh.scalar<number>(
    `SELECT count(*) FROM ((SELECT ${cols} FROM std_by_sql EXCEPT ALL SELECT ${cols} FROM std_by_threads)
       UNION ALL (SELECT ${cols} FROM std_by_threads EXCEPT ALL SELECT ${cols} FROM std_by_sql))`,
  );
  const rows = await wh.scalar<number>('SELECT count(*) FROM std_by_sql');
  const uncached = await wh.scalar<number>(
    'SELECT count(*) FROM std_by_threads WHERE NOT _std_cached',
  );
  await wh.run('DROP TABLE std_by_sql; DROP TABLE std_by_threads');
  return { rows: Number(rows), differ: Number(differ), uncached: Number(uncached), filled };
}

describe('party standardisation in worker threads', () => {
  it('gives the parts the SQL functions give, on every input of the standardisers’ test tables', async () => {
    const wh = await memoryWarehouse();
    try {
      await prepareConnection(wh);
      await openPartyStdCache(wh);
      const s = standardiserTestStrings();
      expect(s.length).toBeGreaterThan(300);
      const cols = PARTY_STD_INPUTS.filter((c) => c !== 'default_country');
      await wh.run(
        `CREATE TABLE staging._typed__std_tests (${cols.map((c) => `${c} VARCHAR`).join(', ')}, _rejected BOOLEAN)`,
      );
      // Each string in every input, beside other strings of the tables and a few countries.
      const countries = [null, 'RU', 'Россия', 'US', 'GB', 'DE', 'KZ', 'xx'];
      const rows: (string | null)[][] = [];
      for (let i = 0; i < s.length; i++)
        for (let shift = 0; shift < cols.length; shift++)
          rows.push(
            cols.map((c, j) =>
              c === 'country' || c === 'phone_country'
                ? countries[(i + j + shift) % countries.length]!
                : (j + shift) % 3 === 0
                  ? null
                  : s[(i + j * 7 + shift) % s.length]!,
            ),
          );
      const appender = await wh.conn.createAppender('_typed__std_tests', 'staging');
      for (const r of rows) {
        for (const v of r) {
          if (v === null) appender.appendNull();
          else appender.appendVarchar(v);
        }
        appender.appendBoolean(false);
        appender.endRow();
      }
      appender.closeSync();
      for (const dc of ['US', 'RU']) {
        const r = await compare(wh, '_typed__std_tests', dc);
        expect(r.rows).toBe(rows.length);
        expect(r.filled).toBeGreaterThan(1000);
        expect(r).toMatchObject({ differ: 0, uncached: 0 });
      }
    } finally {
      wh.close();
    }
  }, 300_000);

  describe('on a generated demo company', () => {
    let demo: ExtractedDemo;
    let wh: Warehouse;

    beforeAll(async () => {
      demo = await extractedDemo({ customers: 400, seed: 5, prefix: 'cdw-std-threads-' });
      wh = demo.wh;
    }, 300_000);
    afterAll(() => demo?.cleanup());

    it('gives the parts the SQL functions give, for every party table', async () => {
      const config = demo.config;
      await prepareConnection(wh);
      await openPartyStdCache(wh);
      let tables = 0;
      for (const source of config.sources)
        for (const table of source.tables.filter((t) => t.enabled && t.entity === 'party')) {
          const layout = await readRawLayout(wh, table.rawTable);
          if (layout === undefined) continue;
          const typed = await buildTypedTable(wh, source, table, layout, {
            birthDateMinYear: config.transforms.birthDateMinYear,
          });
          const r = await compare(wh, typed, source.defaultCountry);
          expect(r.rows, `${source.name}.${table.name}`).toBeGreaterThan(0);
          expect(r, `${source.name}.${table.name}`).toMatchObject({ differ: 0, uncached: 0 });
          tables++;
        }
      expect(tables).toBeGreaterThanOrEqual(3);
    }, 300_000);
  });
});
