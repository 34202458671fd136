import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { tempDir } from '../helpers/warehouse.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DRIVER = path.join(ROOT, 'tests/helpers/pty-driver.py');

interface Step {
  send?: string;
  expect?: string;
  timeout?: number;
  wait?: number;
}
interface Transcript {
  steps: { send: string | null; out: string; ok: boolean }[];
  exitCode: number | null;
}

let dir: string;
let cleanup: () => void;
let cfg: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('cdw-pty-'));
  cfg = path.join(dir, 'cdw.yaml');
  writeFileSync(cfg, 'warehouse:\n  path: wh.duckdb\n');
  const wh = await Warehouse.open(path.join(dir, 'wh.duckdb'));
  await migrate(wh);
  await wh.run(
    "CREATE TABLE public.visits (day DATE, amount DECIMAL(10,3), ratio DOUBLE); INSERT INTO public.visits VALUES (DATE '2026-03-01', 12.345, 0.123456)",
  );
  wh.close();
});
afterAll(() => cleanup());

/** Runs `cdw sql` in a pseudo-terminal through the steps; the transcript of each step. */
function shell(steps: Step[], env: Record<string, string> = {}): Transcript {
  const out = execFileSync(
    'python3',
    [DRIVER, JSON.stringify(steps), '--', process.execPath, 'bin/cdw.js', '-c', cfg, 'sql'],
    { cwd: ROOT, env: { ...process.env, HOME: dir, ...env }, encoding: 'utf8', timeout: 120_000 },
  );
  return JSON.parse(out) as Transcript;
}

const PROMPT = 'wh=> $';
const ESC = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('cdw sql at a terminal', () => {
  it('Ctrl-C cancels a running query and the shell goes on reading', () => {
    const t = shell([
      { expect: PROMPT },
      { send: 'SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b;\r', wait: 0 },
      { send: '\x03', wait: 1.5, expect: 'query cancelled[\\s\\S]*wh=> ' },
      { send: 'SELECT 42 AS answer;\r', expect: 'answer[\\s\\S]*42[\\s\\S]*wh=> ' },
      { send: '\\q\r' },
    ]);
    expect(t.steps.map((s) => s.ok)).toEqual([true, true, true, true, true]);
    expect(t.exitCode).toBe(0);
  });

  it('Ctrl-C at the prompt clears the line and the statement being typed, and keeps the shell', () => {
    const t = shell([
      { expect: PROMPT },
      { send: 'SELECT 1\r', expect: 'wh-> $' },
      { send: 'FROM nowhere', wait: 0.2 },
      { send: '\x03', expect: '\\^C[\\s\\S]*wh=> $' },
      { send: 'SELECT 7 AS seven;\r', expect: 'seven[\\s\\S]*7[\\s\\S]*wh=> ' },
      { send: '\\q\r' },
    ]);
    expect(t.steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
    expect(t.steps[4]!.out).not.toMatch(/ERROR/);
    expect(t.exitCode).toBe(0);
  });

  it('↑ recalls a statement typed over several lines as a whole', () => {
    const t = shell([
      { expect: PROMPT },
      { send: 'SELECT 5\r', expect: 'wh-> $' },
      { send: '  AS five;\r', expect: 'five[\\s\\S]*wh=> $' },
      { send: '\x1b[A', expect: 'SELECT 5 AS five;' },
      { send: '\r', expect: 'five[\\s\\S]*\\(1 row\\)[\\s\\S]*wh=> $' },
      { send: '\\q\r' },
    ]);
    expect(t.steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
  });

  it('prints dates as dates and numbers as they are; \\x expands; \\dn lists schemas', () => {
    const t = shell([
      { expect: PROMPT },
      { send: 'SELECT * FROM visits;\r', expect: '\\(1 row\\)[\\s\\S]*wh=> $' },
      { send: '\\x\r', expect: 'Expanded display is on' },
      { send: 'SELECT * FROM visits;\r', expect: '\\(1 row\\)[\\s\\S]*wh=> $' },
      { send: '\\dn\r', expect: 'marts[\\s\\S]*wh=> $' },
      { send: '\\q\r' },
    ]);
    expect(t.steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
    const table = ESC(t.steps[1]!.out);
    expect(table).toMatch(/2026-03-01 +12\.345 +0\.123456/);
    expect(table).not.toMatch(/00:00/);
    const expanded = ESC(t.steps[3]!.out);
    expect(expanded).toMatch(/-\[ RECORD 1 \]/);
    expect(expanded).toMatch(/day +\| 2026-03-01/);
    expect(expanded).toMatch(/amount +\| 12\.345/);
    expect(ESC(t.steps[4]!.out)).toMatch(/public/);
  });

  it('shows a result longer than the screen through the pager', () => {
    const t = shell(
      [
        { expect: PROMPT },
        {
          send: 'SELECT range AS n FROM range(40);\r',
          expect: 'PAGED: \\(40 rows\\)[\\s\\S]*wh=> $',
        },
        { send: 'SELECT 1 AS short;\r', expect: '\\(1 row\\)[\\s\\S]*wh=> $' },
        { send: '\\q\r' },
      ],
      { PAGER: 'sed "s/^/PAGED: /"', PTY_ROWS: '20' },
    );
    expect(t.steps.map((s) => s.ok)).toEqual([true, true, true, true]);
    expect(t.steps[2]!.out).not.toMatch(/PAGED/);
  });
});
