import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import { serve, type Serving } from '../../jobs/serve/serve.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { demoCompany, withWarehouse } from '../privacy/privacy-fixture.ts';

/**
 * The report and identity commands while `cdw serve` owns the warehouse (DuckDB keeps the file
 * closed to other processes): they read through a read session in the server and write overrides
 * through it, and say the same as they do on the file.
 */
const tmp = tempDir('cdw-through-server-');
let cfg: string;
let serving: Serving | undefined;
let customer: number;
let pair: [string, string];

async function cdw(...args: string[]) {
  const io = captureIO();
  const code = await main(['node', 'cdw', '-c', cfg, ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

/** Every command of the test, run once on the file and once through the server. */
const commands = () => [
  ['identity', 'show', String(customer), '--json'],
  ['identity', 'explain', pair[0], pair[1], '--json'],
  ['identity', 'evaluate', '--truth', path.join(tmp.dir, 'truth.csv'), '--json'],
  ['identity', 'overrides', '--json'],
  ['report', 'customer-360', '--out', path.join(tmp.dir, 'out')],
  ['report', 'campaign', '--segment', 'high_value', '--out', path.join(tmp.dir, 'out', 'c.csv')],
  ['report', 'cross-sell', '--out', path.join(tmp.dir, 'out', 'x.csv')],
  ['report', 'overview', '--out', path.join(tmp.dir, 'out')],
];

const files = () =>
  Object.fromEntries(
    readdirSync(path.join(tmp.dir, 'out'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => [f, readFileSync(path.join(tmp.dir, 'out', f), 'utf8')]),
  );

const onFile: { code: number; out: string; err: string }[] = [];
let filesOnFile: Record<string, string>;

beforeAll(async () => {
  cfg = await demoCompany(tmp.dir, 1);
  await withWarehouse(tmp.dir, async (wh) => {
    const r = await wh.all<{ customer_id: number; party_uid: string }>(
      `SELECT customer_id, party_uid FROM core.customer_xref
       WHERE customer_id = (SELECT customer_id FROM core.customer_xref GROUP BY 1
                            HAVING count(*) > 1 ORDER BY 1 LIMIT 1)
       ORDER BY party_uid LIMIT 2`,
    );
    customer = Number(r[0]!.customer_id);
    pair = [r[0]!.party_uid, r[1]!.party_uid];
  });
  for (const c of commands()) onFile.push(await cdw(...c));
  filesOnFile = files();
  serving = await serve(loadConfig(cfg), {
    host: '127.0.0.1',
    port: 26000 + (process.pid % 90),
    logger: silentLogger,
  });
}, 240_000);

afterAll(async () => {
  await serving?.stop();
  tmp.cleanup();
});

describe('report and identity commands while cdw serve owns the warehouse', () => {
  it('give the same answers and files as on the file', async () => {
    for (const [i, c] of commands().entries()) {
      expect(onFile[i]!.code, `${c.join(' ')} on the file: ${onFile[i]!.err}`).toBe(0);
      const r = await cdw(...c);
      expect(r.err, c.join(' ')).toBe('');
      expect(r.code, c.join(' ')).toBe(0);
      // the overview's HTML carries the time it was written; its path is what is printed
      expect(r.out, c.join(' ')).toBe(onFile[i]!.out);
    }
    expect(files()).toEqual(filesOnFile);
    expect(Object.keys(filesOnFile).length).toBeGreaterThanOrEqual(3);
  });

  it('identity link and clear write the override through the server', async () => {
    const link = await cdw('identity', 'unlink', pair[0], pair[1], '--reason', 'checked');
    expect(link.err).toBe('');
    expect(link.code).toBe(0);
    const listed = JSON.parse((await cdw('identity', 'overrides', '--json')).out) as {
      kind: string;
      reason: string;
    }[];
    expect(listed).toMatchObject([{ kind: 'cannot_link', reason: 'checked' }]);
    const cleared = await cdw('identity', 'clear', pair[0], pair[1]);
    expect(cleared.err).toBe('');
    expect(cleared.out).toMatch(/removed/);
    expect(JSON.parse((await cdw('identity', 'overrides', '--json')).out)).toEqual([]);
    const bad = await cdw('identity', 'link', pair[0], 'nosuch.table:1');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/nosuch\.table:1 is not in staging\.party_records/);
  });
});
