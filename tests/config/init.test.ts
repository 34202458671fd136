import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';
import { PG_URL, postgresAvailable } from '../helpers/databases.ts';
import { tempDir } from '../helpers/warehouse.ts';

const pgUp = await postgresAvailable();
const SCHEMA = 'init_cfg';

let tmp: { dir: string; cleanup: () => void };
beforeAll(async () => {
  tmp = tempDir('cdw-init-');
  mkdirSync(path.join(tmp.dir, 'exports'));
  writeFileSync(
    path.join(tmp.dir, 'exports', 'cards_2026-11-01.csv'),
    'card_no,Name,E-Mail,Birthday\n1,Ann Lee,ann@example.org,1990-01-01\n',
  );
  writeFileSync(
    path.join(tmp.dir, 'exports', 'cards_2026-11-02.csv'),
    'card_no,Name,E-Mail,Birthday\n2,Bob Ray,bob@example.org,1991-02-02\n',
  );
  writeFileSync(
    path.join(tmp.dir, 'exports', 'receipts_2026-11-01.csv'),
    'receipt,card,amount,sold_at\n1,1,9.50,2026-11-01 10:00\n',
  );
  mkdirSync(path.join(tmp.dir, 'logs'));
  writeFileSync(
    path.join(tmp.dir, 'logs', 'access.log'),
    '127.0.0.1 - - [01/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"\n',
  );
  if (pgUp) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await c.query(
      `CREATE TABLE ${SCHEMA}.clients (client_id int PRIMARY KEY, first_name text, surname text, email text, mobile text, updated_at timestamptz, notes text)`,
    );
    await c.query(
      `CREATE TABLE ${SCHEMA}.invoices (invoice_id int PRIMARY KEY, client_id int, total numeric(10,2), currency text, issued_at timestamptz)`,
    );
    await c.end();
  }
});
afterAll(async () => {
  tmp.cleanup();
  if (pgUp) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await c.end();
  }
});

async function cdw(...args: string[]) {
  const io = captureIO();
  const code = await main(['node', 'cdw', '-c', path.join(tmp.dir, 'cdw.yaml'), ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('cdw init', () => {
  it.runIf(pgUp)(
    'writes a commented cdw.yaml for a database, a folder of CSV files and a web log, which cdw check accepts',
    async () => {
      const init = await cdw(
        'init',
        '--only',
        `${SCHEMA}.*`,
        `crm=${PG_URL}`,
        'shop=exports',
        'web=logs/access.log',
      );
      expect(init.err).not.toMatch(/error/);
      expect(init.code).toBe(0);
      const text = readFileSync(path.join(tmp.dir, 'cdw.yaml'), 'utf8');
      expect(text).toMatch(/^# cdw\.yaml written by "cdw init"/);
      expect(text).toMatch(/# init_cfg\.clients → party \(has first_name, last_name, email\)/);
      expect(text).toMatch(/# not mapped: notes/);
      const cfg = parse(text) as {
        sources: { name: string; kind: string; tables: Record<string, unknown>[] }[];
      };
      const [crm, shop, web] = cfg.sources;
      expect(crm?.tables).toEqual([
        {
          name: 'clients',
          entity: 'party',
          table: `${SCHEMA}.clients`,
          primary_key: 'client_id',
          cursor: 'updated_at',
          mapping: {
            record_key: 'client_id',
            first_name: 'first_name',
            last_name: 'surname',
            email: 'email',
            mobile: 'mobile',
            updated_at: 'updated_at',
          },
        },
        {
          name: 'invoices',
          entity: 'transaction',
          table: `${SCHEMA}.invoices`,
          primary_key: 'invoice_id',
          cursor: 'issued_at',
          mapping: {
            record_key: 'invoice_id',
            party_key: 'client_id',
            amount: 'total',
            currency: 'currency',
            occurred_at: 'issued_at',
          },
        },
      ]);
      expect(shop?.kind).toBe('csv');
      expect(shop?.tables.map((t) => [t.name, t.path, t.entity])).toEqual([
        ['cards', 'cards_*.csv', 'party'],
        ['receipts', 'receipts_*.csv', 'transaction'],
      ]);
      expect(shop?.tables[0]?.mapping).toMatchObject({
        record_key: 'card_no',
        full_name: 'Name',
        email: '"E-Mail"',
        birth_date: 'Birthday',
      });
      expect(web?.kind).toBe('weblog');
      expect(web?.tables[0]).toMatchObject({
        name: 'access',
        entity: 'web_hit',
        format: 'combined',
      });

      const check = await cdw('check');
      expect(check.out).toMatch(/ok +crm +postgres/);
      expect(check.code).toBe(0);

      // it never overwrites a config without --force
      const again = await cdw('init', 'shop=exports');
      expect(again.code).toBe(64);
      expect(again.err).toMatch(/exists; give --force/);
    },
  );

  it('refuses an argument that is not NAME=URL or NAME=PATH, as a usage error', async () => {
    const r = await cdw('init', 'exports');
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/NAME=URL or NAME=PATH/);
  });
});
