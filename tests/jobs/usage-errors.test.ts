import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

let dir: string;
let cleanup: () => void;
let cfg: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('cdw-usage-'));
  cfg = path.join(dir, 'cdw.yaml');
  writeFileSync(cfg, 'warehouse:\n  path: wh.duckdb\n');
  const wh = await Warehouse.open(path.join(dir, 'wh.duckdb'));
  await migrate(wh);
  wh.close();
});
afterAll(() => cleanup());

async function cdw(...args: string[]) {
  const io = captureIO({ HOME: dir });
  const code = await main(['node', 'cdw', '-c', cfg, ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('usage errors exit 64 with a message, never "a bug in cdw"', () => {
  it.each([
    [['status', '-n', 'abc'], /whole number/],
    [['status', '-n', '-1'], /whole number/],
    [['customer', 'show', '1', '--as-of', '2026-13-45'], /date like/],
    [['customer', 'show', '1', '--as-of', '2026-02-30'], /date like/],
    [['sql', '-f', 'nosuch.sql'], /cannot read nosuch\.sql: no such file/],
    [['sql', '-c', 'SELECT 1', '-f', 'q.sql'], /-c or -f, not both/],
    [['sql', '--format', 'xml', '-c', 'SELECT 1'], /--format must be one of/],
    [['serve', '--port', '99999'], /whole number from 0 to 65535/],
    [['nosuch'], /unknown command/],
    [['run', '--select', 'profiles'], /give --full-refresh with it/],
    [
      ['run', '--full-refresh', '--select', 'nosuch'],
      /--select nosuch: not a step or a source \(steps: extract, /,
    ],
  ])('cdw %j', async (args, message) => {
    const r = await cdw(...args);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/bug in cdw/);
    expect(r.code).toBe(64);
  });
});
