import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { fileWorld } from './fixture/file-world.ts';
import { RUN_ID, SOURCE_TABLES } from './fixture/world.ts';

/** Runs `cdw …` in-process and returns exit code, stdout and stderr. */
async function cdw(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WriteStream;
  const code = await main(['node', 'cdw', ...args], {
    out: stream((s) => (out += s)),
    err: stream((s) => (err += s)),
    env: {},
  });
  return { code, out, err };
}

describe('cdw report', () => {
  const tmp = tempDir('cdw-report-cli-');
  let cfg: string;
  beforeAll(async () => {
    const now = new Date();
    cfg = await fileWorld(
      tmp.dir,
      'dir: out\ncomplaint_days: 30\nsegments:\n  - name: buyers\n    where: frequency > 0',
      now,
      async (wh) => {
        await buildMarts(wh, {
          runId: RUN_ID,
          asOf: now,
          complaintDays: 30,
          segments: [{ name: 'buyers', where: 'frequency > 0' }],
          sourceTables: SOURCE_TABLES,
        });
      },
    );
  });
  afterAll(() => tmp.cleanup());
  const out = (...p: string[]) => path.join(tmp.dir, ...p);

  it('writes a mart report as CSV into the reports folder and as parquet into --out', async () => {
    const csv = await cdw('-c', cfg, 'report', 'customer_360');
    expect(csv.code).toBe(0);
    expect(csv.out).toContain(`${out('out', 'customer_360.csv')}  (10 rows)`);
    const pq = await cdw(
      '-c',
      cfg,
      'report',
      'service-daily',
      '--format',
      'parquet',
      '--out',
      out('pq'),
    );
    expect(pq.code).toBe(0);
    expect(existsSync(out('pq', 'service_daily.parquet'))).toBe(true);
  });

  it('writes a campaign list and prints every exclusion by reason', async () => {
    const r = await cdw(
      '-c',
      cfg,
      'report',
      'campaign',
      '--segment',
      'buyers',
      '--channel',
      'email',
      '--out',
      out('c.csv'),
      '--exclusions',
      out('x.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('9 members, 3 on the list, 6 left out');
    expect(r.out).toMatch(/recent_complaint\s+1\n/);
    expect(readFileSync(out('c.csv'), 'utf8').trim().split('\n')).toEqual([
      'customer_id,first_name,last_name,full_name,email',
      '2,Ivan,Petrov,Ivan Petrov,ivan@example.ru',
      '8,Hana,Old,Hana Old,hana@example.com',
      '9,Igor,Web,Igor Web,igor@example.com',
    ]);
    expect(readFileSync(out('x.csv'), 'utf8')).toContain('1,recent_complaint');
  });

  it('removes existing customers from a prospect list', async () => {
    writeFileSync(out('bought.txt'), '8 (495) 123-45-67\n+7 916 555-12-34\n');
    const r = await cdw(
      '-c',
      cfg,
      'report',
      'prospects',
      '--numbers',
      out('bought.txt'),
      '--country',
      'RU',
      '--out',
      out('calls.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/existing customer\s+1/);
    expect(readFileSync(out('calls.csv'), 'utf8').trim().split('\n')).toEqual([
      'phone,as_given',
      '+79165551234,+7 916 555-12-34',
    ]);
  });

  it('lists the cross-sell pairs for a product', async () => {
    const r = await cdw(
      '-c',
      cfg,
      'report',
      'cross-sell',
      '--product',
      'car_insurance',
      '--out',
      out('xs.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 offers to household members in 1 households');
    expect(readFileSync(out('xs.csv'), 'utf8')).toContain(
      '100,car_insurance,,2,Ivan Petrov,[1],1,2',
    );
  });

  it('writes the HTML overview', async () => {
    const r = await cdw('-c', cfg, 'report', 'overview', '--out', out('html'));
    expect(r.code).toBe(0);
    expect(readFileSync(out('html', 'overview.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('says what is wrong without a stack trace', async () => {
    const unknown = await cdw('-c', cfg, 'report', 'campaign', '--segment', 'vip');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(
      'error: segment "vip" was not built by the last run (segments: buyers); declare it under reports.segments and run "cdw run"\n',
    );
    const channel = await cdw(
      '-c',
      cfg,
      'report',
      'campaign',
      '--segment',
      'buyers',
      '--channel',
      'fax',
    );
    expect(channel.code).toBe(64);
    expect(channel.err).toContain('--channel must be one of email, phone');
    const report = await cdw('-c', cfg, 'report', 'nope');
    expect(report.code).toBe(64);
    expect(report.err).toMatch(/^error: unknown command 'nope'/);
    expect(`${unknown.err}${channel.err}${report.err}`).not.toMatch(/\n\s+at /);
  });
});
