import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { readCsv } from './read-demo.ts';

describe('cdw demo', () => {
  const tmp = tempDir('cdw-demo-cli-');
  afterAll(() => tmp.cleanup());

  it('generates night by night and runs the nightly job after each night, on that night’s files', async () => {
    const dir = path.join(tmp.dir, 'run');
    const io = captureIO();
    const code = await main(
      ['node', 'cdw', 'demo', '--dir', dir, '--customers', '80', '--nights', '2', '--seed', '9'],
      io,
    );
    expect(io.errText()).not.toMatch(/error:/);
    expect(code).toBe(0);
    const out = io.outText();
    expect(out).toMatch(/night 1 \(2026-11-01\): running the nightly job/);
    expect(out).toMatch(/night 2 \(2026-11-02\): running the nightly job/);
    expect(out).toContain('what to try next:');
    expect(out).toContain(`npx cdw --config ${path.relative(process.cwd(), dir)}/cdw.yaml status`);

    const wh = await Warehouse.open(path.join(dir, 'warehouse.duckdb'), { readOnly: true });
    try {
      const runs = await wh.all<{ run_id: string; status: string; trigger: string }>(
        'SELECT run_id, status, "trigger" FROM meta.runs ORDER BY started_at',
      );
      expect(runs.map((r) => [r.status, r.trigger])).toEqual([
        ['succeeded', 'demo'],
        ['succeeded', 'demo'],
      ]);
      const landed = await wh.all<{ run_id: string; rows_in: number }>(
        "SELECT run_id, CAST(rows_in AS INTEGER) AS rows_in FROM meta.run_steps WHERE step = 'extract' AND source = 'billing.accounts' ORDER BY started_at",
      );
      const fileRows = (d: string) => readCsv(path.join(dir, `billing/accounts_${d}.csv`)).length;
      expect(landed.map((r) => r.rows_in)).toEqual([
        fileRows('2026-11-01'),
        fileRows('2026-11-02'),
      ]);
      // An analyst user for `cdw serve`, its password printed once.
      expect(out).toMatch(
        /PGPASSWORD=[A-Za-z0-9_-]{20} psql -h 127\.0\.0\.1 -p 15432 -U analyst cdw/,
      );
      expect(await wh.all('SELECT name, role FROM meta.users')).toEqual([
        { name: 'analyst', role: 'analyst' },
      ]);
    } finally {
      wh.close();
    }

    // The demo's config declares segments: a campaign list works out of the box.
    const campaign = captureIO();
    expect(
      await main(
        [
          'node',
          'cdw',
          '-c',
          path.join(dir, 'cdw.yaml'),
          'report',
          'campaign',
          '--segment',
          'high_value',
          '--out',
          path.join(tmp.dir, 'high_value.csv'),
        ],
        campaign,
      ),
    ).toBe(0);
    expect(campaign.outText()).toMatch(
      /segment high_value, channel any, as of 2026-11-0\d: \d+ members/,
    );
    expect(out).toContain('report campaign --segment high_value');

    // A second demo in the same folder replaces the first, warehouse and temp files included.
    const again = captureIO();
    expect(
      await main(['node', 'cdw', 'demo', '--dir', dir, '--customers', '30', '--no-run'], again),
    ).toBe(0);
    expect(existsSync(path.join(dir, 'warehouse.duckdb'))).toBe(false);
  });

  it('only generates with --no-run', async () => {
    const dir = path.join(tmp.dir, 'norun');
    const io = captureIO();
    expect(
      await main(['node', 'cdw', 'demo', '--dir', dir, '--customers', '30', '--no-run'], io),
    ).toBe(0);
    expect(existsSync(path.join(dir, 'cdw.yaml'))).toBe(true);
    expect(existsSync(path.join(dir, 'truth.csv'))).toBe(true);
    expect(existsSync(path.join(dir, 'warehouse.duckdb'))).toBe(false);
    expect(io.outText()).toContain('generated with --no-run');
  });

  it('generates the harsh noise model with --noise harsh and runs it: the name-less sign-ups land as party records', async () => {
    const dir = path.join(tmp.dir, 'harsh');
    const io = captureIO();
    const args = ['--dir', dir, '--customers', '60', '--seed', '3', '--noise', 'harsh'];
    expect(await main(['node', 'cdw', 'demo', ...args], io)).toBe(0);
    const signups = readCsv(path.join(dir, 'web/signups_2026-11-01.csv'));
    expect(signups.length).toBeGreaterThan(0);
    const wh = await Warehouse.open(path.join(dir, 'warehouse.duckdb'), { readOnly: true });
    try {
      const rows = await wh.all<{ n: number; named: number }>(
        "SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(first_name) AS INTEGER) AS named FROM staging.party_records WHERE source = 'web_signups'",
      );
      expect(rows).toEqual([{ n: signups.length, named: 0 }]);
    } finally {
      wh.close();
    }
    const bad = captureIO();
    expect(
      await main(
        ['node', 'cdw', 'demo', '--dir', path.join(tmp.dir, 'loud'), '--noise', 'loud'],
        bad,
      ),
    ).toBe(64);
    expect(bad.errText()).toMatch(/--noise.*standard, harsh/s);
  });

  it('refuses a customer count that is not a positive whole number', async () => {
    const io = captureIO();
    expect(
      await main(
        ['node', 'cdw', 'demo', '--dir', path.join(tmp.dir, 'bad'), '--customers', '0'],
        io,
      ),
    ).toBe(64);
    expect(io.errText()).toContain('expected a whole number from 1 to');
  });
});
