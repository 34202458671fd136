import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PipelineStep } from '../../foundation/step.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';
import { startServed, type Served } from './server-fixture.ts';

// Steps that write and commit, as the real ones do; readers hold the pre-load snapshot meanwhile.
const write = (name: string): PipelineStep => ({
  name,
  description: 'writes a row',
  async run(ctx) {
    await ctx.wh.run('CREATE TABLE IF NOT EXISTS public.marks (step VARCHAR)');
    await ctx.wh.run('INSERT INTO public.marks VALUES ($1)', [name]);
    return { rowsIn: 1, rowsOut: 1, rowsRejected: 0 };
  },
});

const logger = memoryLogger();
let s: Served;
beforeAll(async () => {
  s = await startServed({
    logger,
    steps: [write('one'), write('two'), write('three')],
    configText: `sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - { name: sales, entity: transaction, mapping: { record_key: id }, path: "*.csv" }
`,
  });
  mkdirSync(path.join(s.dir, 'in'));
  writeFileSync(path.join(s.dir, 'in', 'a.csv'), 'id\n1\n');
  await s.serving.runner.run('schedule');
});
afterAll(async () => {
  await s?.close();
});

async function cdw(...args: string[]) {
  const io = captureIO({ HOME: s.dir });
  const code = await main(['node', 'cdw', '-c', path.join(s.dir, 'cdw.yaml'), ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('read commands while cdw serve owns the warehouse', () => {
  it('cdw status shows the runs, read through the server', async () => {
    const r = await cdw('status');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lock: held by server/);
    expect(r.out).toMatch(/run r\S+ +succeeded +trigger=schedule/);
    expect(r.out).toMatch(/^three +succeeded/m);
  });

  it('cdw sources lists the tables with their state', async () => {
    const r = await cdw('sources', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject([{ source: 'pos', table: 'sales', rawRows: null }]);
  });

  it('cdw sql runs read-only statements in the server, dates as dates and numbers as they are', async () => {
    const r = await cdw(
      'sql',
      '-c',
      "SELECT id, amount, DATE '2024-01-02' AS d, 1.0/3 AS third FROM customers ORDER BY id",
    );
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'id  amount  d                        third',
        '--  ------  ----------  ------------------',
        ' 1   10.50  2024-01-02  0.3333333333333333',
        ' 2    3.00  2024-01-02  0.3333333333333333',
        '(2 rows)',
        '',
      ].join('\n'),
    );
    const w = await cdw('sql', '-c', "INSERT INTO customers VALUES (3, 'Eve', NULL, NULL, 1)");
    expect(w.code).toBe(1);
    expect(w.err).toMatch(/read-only/i);
  });

  it('cdw sql --write points to the port the server listens on', async () => {
    const r = await cdw('sql', '--write', '-c', 'SELECT 1');
    expect(r.code).toBe(3);
    expect(r.err).toContain(`port=${s.port} `);
    expect(s.port).not.toBe(15432);
  });

  it('a run in the server logs no failed checkpoint', () => {
    expect(logger.lines.filter((l) => /checkpoint/i.test(l))).toEqual([]);
  });
});
