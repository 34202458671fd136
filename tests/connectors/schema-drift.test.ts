import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PG_URL, postgresAvailable } from '../helpers/databases.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { captureIO } from '../helpers/cli.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { main } from '../../jobs/cli/main.ts';
import { configIn, extractOnce, lastLoad, unitOf } from './helpers.ts';

const pgUp = await postgresAvailable();
const T = 'cdwtest_drift_customers';
let tmp: { dir: string; cleanup: () => void };
let wh: Warehouse;
beforeEach(async () => {
  tmp = tempDir('cdw-drift-');
  mkdirSync(path.join(tmp.dir, 'in'));
  wh = await Warehouse.open(path.join(tmp.dir, 'wh.duckdb'));
});
afterEach(() => {
  wh.close();
  tmp.cleanup();
});

const pgConfig = (policy = '') => `
warehouse: { path: wh.duckdb }
sources:
  - name: billing
    kind: postgres
    connection: { url: "${PG_URL}" }
    tables:
      - name: customers
        table: ${T}
        entity: party
        primary_key: id
        cursor: updated_at
${policy}        mapping: { record_key: id, email: email, phone: phone, full_name: name, updated_at: updated_at }
`;

describe.skipIf(!pgUp)('schema contract: a PostgreSQL column renamed and another dropped', () => {
  let c: pg.Client;
  beforeAll(async () => {
    c = new pg.Client(PG_URL);
    await c.connect();
  });
  afterAll(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.end();
  });
  beforeEach(async () => {
    await c.query(`DROP TABLE IF EXISTS ${T}`);
    await c.query(
      `CREATE TABLE ${T} (id int PRIMARY KEY, email text, phone text, name text, updated_at timestamptz)`,
    );
    await c.query(`INSERT INTO ${T}
      SELECT g, 'p' || g || '@example.com', '+1555000' || lpad(g::text, 4, '0'), 'Person ' || g, '2024-01-01 10:00:00+00'
      FROM generate_series(1, 10) g`);
  });

  // Issue 16, defect 1: `email` → `e_mail`, `phone` dropped; the run exited 0 and the mapping read NULL.
  const drift = async () => {
    await c.query(`ALTER TABLE ${T} RENAME COLUMN email TO e_mail`);
    await c.query(`ALTER TABLE ${T} DROP COLUMN phone`);
    await c.query(
      `UPDATE ${T} SET name = name || ' changed', updated_at = '2024-01-02 10:00:00+00'`,
    );
  };

  it('fails that table load (nothing lands, state kept, run partial), naming source, table, columns and what to change; cdw status reports it', async () => {
    const config = configIn(tmp.dir, pgConfig());
    const first = await extractOnce(config, wh);
    expect(unitOf(first, 'billing.customers')).toMatchObject({ status: 'succeeded', rowsOut: 10 });
    const state = await wh.all('SELECT cursor_value FROM meta.source_state');
    await drift();

    const s = await extractOnce(config, wh);
    expect(s.status).toBe('partial');
    const u = unitOf(s, 'billing.customers');
    expect(u.status).toBe('failed');
    expect(u.error).toBe(
      'source billing table customers: column email is gone from the source (mapping.email reads it); map the field to the column that replaced it, or set on_schema_change: warn on the table to load without it; ' +
        'column phone is gone from the source (mapping.phone reads it); map the field to the column that replaced it, or set on_schema_change: warn on the table to load without it ' +
        '(the source now has id, e_mail, name, updated_at); nothing of this load landed',
    );
    // Nothing of the load: no row read, so landed + rejected = read = 0; raw and state as before.
    expect(await wh.scalar('SELECT count(*) FROM raw.billing__customers')).toBe(10);
    expect(await wh.all('SELECT cursor_value FROM meta.source_state')).toEqual(state);
    expect(
      await wh.all(
        `SELECT column_name, change, read_by, action FROM meta.schema_changes WHERE run_id = $1 ORDER BY column_name`,
        [s.runId],
      ),
    ).toEqual([
      { column_name: 'e_mail', change: 'added', read_by: null, action: 'recorded' },
      { column_name: 'email', change: 'removed', read_by: 'mapping.email', action: 'failed' },
      { column_name: 'phone', change: 'removed', read_by: 'mapping.phone', action: 'failed' },
    ]);

    wh.close();
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', config.configPath, 'status', '-n', '1'], io)).toBe(0);
    expect(io.outText()).toContain(
      [
        'schema changes:',
        '  billing.customers: column e_mail added — recorded',
        '  billing.customers: column email removed (read by mapping.email) — the load failed',
        '  billing.customers: column phone removed (read by mapping.phone) — the load failed',
      ].join('\n'),
    );
    wh = await Warehouse.open(path.join(tmp.dir, 'wh.duckdb'));
  });

  it('with on_schema_change: warn lands the changed rows with a warning (run partial), the mapped fields empty', async () => {
    await extractOnce(configIn(tmp.dir, pgConfig()), wh);
    await drift();
    const s = await extractOnce(
      configIn(tmp.dir, pgConfig('        on_schema_change: warn\n')),
      wh,
    );
    expect(s.status).toBe('partial');
    const u = unitOf(s, 'billing.customers');
    expect(u).toMatchObject({ status: 'warning', rowsIn: 10, rowsOut: 10, rowsRejected: 0 });
    expect(u.error).toBe(
      'column email removed (read by mapping.email); column phone removed (read by mapping.phone)',
    );
    const load = await lastLoad(wh, 'billing', 'customers');
    expect(load.rows_read).toBe(load.rows_landed + load.rows_skipped + load.rows_rejected);
    expect(
      await wh.all(
        `SELECT count(*) AS n, count(email) AS email, count(phone) AS phone, count(e_mail) AS e_mail
         FROM raw.billing__customers WHERE starts_with(_load_id, $1)`,
        [s.runId],
      ),
    ).toEqual([{ n: 10, email: 0, phone: 0, e_mail: 10 }]);
    // The next night is no new change, but the fields still read nothing: said again, recorded once.
    await c.query(`UPDATE ${T} SET updated_at = '2024-01-03 10:00:00+00' WHERE id = 1`);
    const again = await extractOnce(
      configIn(tmp.dir, pgConfig('        on_schema_change: warn\n')),
      wh,
    );
    expect(unitOf(again, 'billing.customers')).toMatchObject({
      status: 'warning',
      rowsOut: 1,
      error:
        'mapping.email reads column email, which the source does not have; the field stays empty; mapping.phone reads column phone, which the source does not have; the field stays empty',
    });
    expect(
      await wh.scalar('SELECT count(*) FROM meta.schema_changes WHERE run_id = $1', [again.runId]),
    ).toBe(0);
  });

  it('a mapped column that changes type fails the load; evolve accepts it', async () => {
    await extractOnce(configIn(tmp.dir, pgConfig()), wh);
    await c.query(`ALTER TABLE ${T} ALTER COLUMN phone TYPE bigint USING 0`);
    const s = await extractOnce(configIn(tmp.dir, pgConfig()), wh);
    expect(unitOf(s, 'billing.customers').error).toMatch(
      /^source billing table customers: column phone changed type from text to bigint in the source \(mapping\.phone reads it\); check the source, or set on_schema_change: evolve on the table to accept the new type/,
    );
    const ok = await extractOnce(
      configIn(tmp.dir, pgConfig('        on_schema_change: evolve\n')),
      wh,
    );
    expect(unitOf(ok, 'billing.customers').status).toBe('succeeded');
    expect(
      await wh.all(
        `SELECT change, old_type, new_type, action FROM meta.schema_changes WHERE run_id = $1`,
        [ok.runId],
      ),
    ).toEqual([{ change: 'retyped', old_type: 'text', new_type: 'bigint', action: 'evolved' }]);
  });
});

describe('schema contract: a CSV export with a renamed header', () => {
  const csvConfig = `
sources:
  - name: crm
    kind: csv
    connection: { dir: in }
    tables:
      - name: contacts
        entity: party
        path: "contacts_*.csv"
        primary_key: id
        mapping: { record_key: id, email: email, full_name: name }
`;

  it('fails the table load when a new file renames a mapped column, and lands the next file once fixed', async () => {
    writeFileSync(path.join(tmp.dir, 'in', 'contacts_1.csv'), 'id,email,name\n1,a@x.org,Ann\n');
    const config = configIn(tmp.dir, csvConfig);
    await extractOnce(config, wh);
    writeFileSync(path.join(tmp.dir, 'in', 'contacts_2.csv'), 'id,e_mail,name\n2,b@x.org,Bo\n');
    const s = await extractOnce(config, wh);
    expect(unitOf(s, 'crm.contacts').error).toBe(
      'source crm table contacts: column email is gone from the source in contacts_2.csv (mapping.email reads it); map the field to the column that replaced it, or set on_schema_change: warn on the table to load without it (the source now has id, e_mail, name); nothing of this load landed',
    );
    expect(await wh.scalar('SELECT count(*) FROM raw.crm__contacts')).toBe(1);
    // The mapping follows the rename: the new file lands; the old column is recorded as gone.
    const fixed = configIn(tmp.dir, csvConfig.replace('email: email', 'email: e_mail'));
    const after = await extractOnce(fixed, wh);
    expect(unitOf(after, 'crm.contacts')).toMatchObject({ status: 'succeeded', rowsOut: 1 });
  });

  it('a mapping that names a column the first file does not have fails before anything lands', async () => {
    writeFileSync(path.join(tmp.dir, 'in', 'contacts_1.csv'), 'id,mail,name\n1,a@x.org,Ann\n');
    const s = await extractOnce(configIn(tmp.dir, csvConfig), wh);
    expect(unitOf(s, 'crm.contacts').error).toMatch(
      /^source crm table contacts: mapping\.email reads column email, which the source does not have in contacts_1\.csv; fix the name in cdw\.yaml/,
    );
    expect(await wh.tableExists('raw', 'crm__contacts')).toBe(false);
  });
});
