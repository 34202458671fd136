import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import { serve } from '../../jobs/serve/serve.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import {
  checksums,
  copyCompany,
  demoCompany,
  findValues,
  personalValues,
  withWarehouse,
} from './privacy-fixture.ts';

const CDW = path.resolve('bin/cdw.js');

async function cdw(args: string[]) {
  const io = captureIO();
  const code = await main(['node', 'cdw', ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

interface Totals {
  revenue: number;
  txns: number;
  amount: number;
  customers: number;
}
const totals = (dir: string) =>
  withWarehouse(dir, async (wh) => {
    const r = await wh.one<Record<string, number>>(
      `SELECT (SELECT round(sum(revenue), 2) FROM marts.customer_360) AS revenue,
              (SELECT count(*) FROM core.fact_transactions) AS txns,
              (SELECT round(sum(amount), 2) FROM core.fact_transactions) AS amount,
              (SELECT count(*) FROM core.dim_customer) AS customers`,
    );
    return {
      revenue: Number(r!.revenue),
      txns: Number(r!.txns),
      amount: Number(r!.amount),
      customers: Number(r!.customers),
    } satisfies Totals;
  });

/** cdw as its own process (a server may run in this one: never block it with spawnSync). */
function cdwChild(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CDW, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Runs `cdw customer erase` as its own process, killed with SIGKILL when it prints `at`. */
function eraseKilledAt(cfg: string, id: number, at: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CDW, '-c', cfg, 'customer', 'erase', String(id), '--reason', 'ticket 7'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    let killed = false;
    const watch = (c: Buffer) => {
      text += c.toString();
      if (!killed && at.test(text)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(text) : reject(new Error(`not killed: ${text}`)),
    );
  });
}

describe('cdw customer erase, on the demo after three nights', () => {
  const tmp = tempDir('cdw-privacy-');
  const dir = path.join(tmp.dir, 'demo');
  const pristine = path.join(tmp.dir, 'pristine');
  let cfg = '';
  let id = 0;
  let values: string[] = [];
  let before: Totals;
  let erasedSums: Record<string, string> = {};
  beforeAll(async () => {
    cfg = await demoCompany(dir);
    copyCompany(dir, pristine);
    // a person known to several systems, with a birth date and an e-mail
    id = await withWarehouse(dir, async (wh) =>
      Number(
        await wh.scalar(
          `SELECT customer_id FROM core.dim_customer
           WHERE email IS NOT NULL AND birth_date IS NOT NULL AND record_count >= 2
           ORDER BY record_count DESC, customer_id LIMIT 1`,
        ),
      ),
    );
    values = await withWarehouse(dir, (wh) => personalValues(wh, id));
    before = await totals(dir);
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('removes every e-mail, phone, name and birth date of the person from every table and report file, and keeps the totals', async () => {
    expect(values.length).toBeGreaterThanOrEqual(4);
    expect(values.some((v) => v.includes('@'))).toBe(true);
    expect(
      await withWarehouse(dir, (wh) => findValues(wh, values, path.join(dir, 'reports'))),
    ).not.toEqual([]);

    const r = await cdw(['-c', cfg, 'customer', 'erase', String(id), '--reason', 'ticket 7']);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${id}: customer ${id} erased \\(erasure-`));

    const left = await withWarehouse(dir, (wh) =>
      findValues(wh, values, path.join(dir, 'reports')),
    );
    expect(left).toEqual([]);
    expect(await totals(dir)).toEqual(before);
    // the anonymous customer stays, with what is not personal
    const kept = await withWarehouse(dir, (wh) =>
      wh.one<{ systems: string[]; email: string | null; full_name: string | null; n: number }>(
        `SELECT systems, email, full_name, (SELECT count(*) FROM core.fact_transactions WHERE customer_id = $1) AS n
         FROM core.dim_customer WHERE customer_id = $1`,
        [id],
      ),
    );
    expect(kept!.email).toBeNull();
    expect(kept!.full_name).toBeNull();
    expect(kept!.systems.length).toBeGreaterThan(0);
    // the ledger: who, when, which customer, rows per layer — and no personal data (the scan above)
    const ledger = await withWarehouse(dir, (wh) =>
      wh.all<{ customer_id: number; reason: string; status: string; rows: string }>(
        `SELECT customer_id, reason, status, CAST(rows_by_layer AS VARCHAR) AS rows FROM meta.erasures`,
      ),
    );
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ reason: 'ticket 7', status: 'complete' });
    expect(Number(ledger[0]!.customer_id)).toBe(id);
    const rows = JSON.parse(ledger[0]!.rows) as Record<string, number>;
    for (const layer of ['raw', 'staging', 'identity', 'core', 'marts', 'reports'])
      expect(rows[layer], layer).toBeGreaterThan(0);
    erasedSums = await withWarehouse(dir, checksums);
    const shown = await cdw(['-c', cfg, 'customer', 'show', String(id)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^personal data erased on request on \d{4}-\d\d-\d\d \(erasure-/);
    for (const v of values) expect(shown.out).not.toContain(v);

    // a second request for the same person changes nothing
    const again = await cdw(['-c', cfg, 'customer', 'erase', String(id), '--reason', 'ticket 8']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('was already erased');
    expect(await withWarehouse(dir, checksums)).toEqual(erasedSums);
  }, 300_000);

  it('refuses an id that was never issued, and a record no customer has, with a clear message', async () => {
    const r = await cdw(['-c', cfg, 'customer', 'erase', '987654', '--reason', 'ticket 9']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('987654: no customer with id 987654');
    const f = path.join(tmp.dir, 'requests.txt');
    writeFileSync(f, '# bulk request\nbilling.accounts:no-such-key\n');
    const b = await cdw(['-c', cfg, 'customer', 'erase', '--file', f, '--reason', 'ticket 9']);
    expect(b.code).toBe(1);
    expect(b.err).toContain('billing.accounts:no-such-key: no source record billing.accounts');
    expect(
      Number(await withWarehouse(dir, (wh) => wh.scalar('SELECT count(*) FROM meta.erasures'))),
    ).toBe(1);
  });

  it('completes an erasure killed with SIGKILL inside its transaction or after its commit, and changes nothing else', async () => {
    for (const [name, at] of [
      ['in-transaction', /erasing customer \d+/],
      ['after-commit', /warehouse erased and committed/],
    ] as const) {
      const copy = path.join(tmp.dir, `kill-${name}`);
      const copyCfg = copyCompany(pristine, copy);
      await eraseKilledAt(copyCfg, id, at);
      const r = await cdw(['-c', copyCfg, 'customer', 'erase', String(id), '--reason', 'ticket 7']);
      expect(r.code, r.err).toBe(0);
      expect(await withWarehouse(copy, checksums), name).toEqual(erasedSums);
      expect(
        await withWarehouse(copy, (wh) => findValues(wh, values, path.join(copy, 'reports'))),
      ).toEqual([]);
      expect(
        await withWarehouse(copy, (wh) =>
          wh.scalar('SELECT string_agg(status) FROM meta.erasures'),
        ),
      ).toBe('complete');
    }
  }, 600_000);

  it('erases on arrival the next loads of the same records and new records with the same e-mail, counted in the run summary', async () => {
    const account = await withWarehouse(pristine, (wh) =>
      wh.scalar<string>(
        `SELECT record_key FROM staging.party_records WHERE source = 'billing' AND source_table = 'accounts'
           AND party_uid IN (SELECT party_uid FROM identity.record_map WHERE customer_id = $1) LIMIT 1`,
        [id],
      ),
    );
    expect(account).toBeTruthy();
    // the source system still has the person: their row, changed, and a new sign-up by e-mail
    const files = path.join(dir, 'billing');
    const last = readFileSync(path.join(pristine, 'billing', 'accounts_2026-11-03.csv'), 'utf8');
    const head = last.split(/\r?\n/)[0]!;
    const all = ['01', '02', '03']
      .flatMap((d) =>
        readFileSync(path.join(pristine, 'billing', `accounts_2026-11-${d}.csv`), 'utf8').split(
          /\r?\n/,
        ),
      )
      .filter((l) => l.startsWith(`${account},`));
    const row = all.at(-1)!;
    const email = values.find((v) => v.includes('@'))!;
    const changed = row.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, '2026-11-04 09:00:00');
    const signUp = `990001,,X,Y,,${email.toUpperCase()},,,,Boston,US,,active,false,false,false,2026-11-04 10:00:00,2026-11-04 10:00:00`;
    writeFileSync(path.join(files, 'accounts_2026-11-04.csv'), `${head}\n${changed}\n${signUp}\n`);

    const run = await cdw(['-c', cfg, 'run']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/2 rows of erased people erased on arrival/);
    const arrived = await withWarehouse(dir, (wh) =>
      wh.all<{ source_table: string; n: number }>(
        'SELECT source_table, CAST(rows_erased AS INTEGER) AS n FROM meta.erased_on_arrival',
      ),
    );
    expect(arrived).toEqual([{ source_table: 'accounts', n: 2 }]);
    expect(
      await withWarehouse(dir, (wh) => findValues(wh, values, path.join(dir, 'reports'))),
    ).toEqual([]);
    const status = await cdw(['-c', cfg, 'status', '-n', '1']);
    expect(status.out).toMatch(/privacy\s+succeeded\s+2/);
    expect(await totals(dir).then((t) => t.txns)).toBe(before.txns);

    // lifted by an admin: the next load of the record is no longer erased
    const ledger = await withWarehouse(dir, (wh) =>
      wh.scalar<string>('SELECT erasure_id FROM meta.erasures'),
    );
    const lift = await cdw([
      '-c',
      cfg,
      'customer',
      'lift',
      ledger,
      '--reason',
      'asked to come back',
    ]);
    expect(lift.code, lift.err).toBe(0);
    const back = row.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, '2026-11-05 09:00:00');
    writeFileSync(path.join(files, 'accounts_2026-11-05.csv'), `${head}\n${back}\n`);
    const run2 = await cdw(['-c', cfg, 'run']);
    expect(run2.code, run2.err).toBe(0);
    expect(
      Number(
        await withWarehouse(dir, (wh) =>
          wh.scalar('SELECT count(*) FROM staging.party_records WHERE lower(email) = lower($1)', [
            email,
          ]),
        ),
      ),
    ).toBe(1);
    const lifted = await cdw(['-c', cfg, 'customer', 'lift', ledger, '--reason', 'again']);
    expect(lifted.code).toBe(1);
    expect(lifted.err).toContain(`no erasure ${ledger} in force`);
  }, 600_000);
  it('runs inside cdw serve through its control endpoint while the server owns the warehouse', async () => {
    const config = loadConfig(cfg);
    const port = 18000 + ((process.pid + 450) % 900);
    const serving = await serve(config, { host: '127.0.0.1', port, logger: silentLogger });
    try {
      // a request file: a customer id and a source record of another customer
      const [other, third] = (
        await serving.warehouse.all<{ customer_id: number; record_key: string }>(
          `SELECT x.customer_id, min(x.record_key) AS record_key FROM core.customer_xref x
           JOIN core.dim_customer c USING (customer_id)
           WHERE c.email IS NOT NULL AND x.customer_id <> $1 AND x.source = 'billing' AND x.source_table = 'accounts'
           GROUP BY 1 ORDER BY 1 LIMIT 2`,
          [id],
        )
      ).map((r) => ({ id: Number(r.customer_id), key: r.record_key }));
      const file = path.join(tmp.dir, 'bulk.txt');
      writeFileSync(file, `${other!.id}\nbilling.accounts:${third!.key}\n`);
      const r = await cdwChild([
        '-c',
        cfg,
        'customer',
        'erase',
        '--file',
        file,
        '--reason',
        'ticket 10',
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        new RegExp(`^${other!.id}: customer ${other!.id} erased \\(erasure-`, 'm'),
      );
      expect(r.out).toMatch(
        new RegExp(
          `^billing.accounts:${third!.key}: customer ${third!.id} erased \\(erasure-`,
          'm',
        ),
      );
      const rows = await serving.warehouse.all<{ email: string | null; status: string }>(
        `SELECT c.email, e.status FROM core.dim_customer c JOIN meta.erasures e USING (customer_id)
         WHERE c.customer_id IN ($1, $2) ORDER BY c.customer_id`,
        [other!.id, third!.id],
      );
      expect(rows).toEqual([
        { email: null, status: 'complete' },
        { email: null, status: 'complete' },
      ]);
      const ledger = await cdwChild(['-c', cfg, 'customer', 'erasures']);
      expect(ledger.out).toContain('ticket 10');
    } finally {
      await serving.stop();
    }
  }, 300_000);
});
