import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import { interactiveShell, isComplete } from '../../warehouse/shell/sql-shell.ts';
import { duckdbBackend } from '../../warehouse/shell/backend.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

let dir: string;
let cleanup: () => void;
let cfg: string;
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('cdw-shell-'));
  cfg = path.join(dir, 'cdw.yaml');
  writeFileSync(cfg, 'warehouse:\n  path: wh.duckdb\n');
  const wh = await Warehouse.open(path.join(dir, 'wh.duckdb'));
  await migrate(wh);
  await wh.run(
    "CREATE TABLE public.customers (id INTEGER, name VARCHAR); INSERT INTO public.customers VALUES (1, 'Ann'), (2, 'Bob, Jr.')",
  );
  await wh.run(
    "COMMENT ON COLUMN public.customers.name IS 'full name'; CREATE VIEW public.names AS SELECT name FROM public.customers",
  );
  wh.close();
});
afterEach(() => cleanup());

async function sql(...args: string[]) {
  const io = captureIO({ HOME: dir });
  const code = await main(['node', 'cdw', '-c', cfg, 'sql', ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('cdw sql one-shot', () => {
  it('prints an aligned table, CSV and JSON', async () => {
    const t = await sql('-c', 'SELECT id, name FROM customers ORDER BY id');
    expect(t.code).toBe(0);
    expect(t.out).toBe('id  name\n--  --------\n 1  Ann\n 2  Bob, Jr.\n(2 rows)\n');
    const c = await sql('--format', 'csv', '-c', 'SELECT id, name FROM customers ORDER BY id');
    expect(c.out).toBe('id,name\n1,Ann\n2,"Bob, Jr."\n');
    const j = await sql(
      '--format',
      'json',
      '-c',
      'SELECT id, name FROM customers ORDER BY id; SELECT 42::BIGINT AS n',
    );
    expect(j.out).toBe(
      `${JSON.stringify(
        [
          { id: 1, name: 'Ann' },
          { id: 2, name: 'Bob, Jr.' },
        ],
        null,
        2,
      )}\n${JSON.stringify([{ n: 42 }], null, 2)}\n`,
    );
  });

  it('runs a file', async () => {
    const f = path.join(dir, 'q.sql');
    writeFileSync(
      f,
      "-- two statements\nSELECT count(*) AS n FROM customers;\nSELECT name FROM names WHERE name = 'Ann';\n",
    );
    const r = await sql('--format', 'csv', '-f', f);
    expect(r.out).toBe('n\n2\nname\nAnn\n');
  });

  it('is read-only unless --write', async () => {
    const ro = await sql('-c', "INSERT INTO customers VALUES (3, 'Eve')");
    expect(ro.code).toBe(1);
    expect(ro.err).toMatch(/read-only/i);
    const rw = await sql('--write', '-c', "INSERT INTO customers VALUES (3, 'Eve')");
    expect(rw.code).toBe(0);
    expect((await sql('--format', 'csv', '-c', 'SELECT count(*) AS n FROM customers')).out).toBe(
      'n\n3\n',
    );
  });
});

describe('cdw sql interactive', () => {
  it('runs multi-line statements and backslash commands', async () => {
    const wh = await Warehouse.open(path.join(dir, 'wh.duckdb'), { readOnly: true });
    const input = new PassThrough();
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    try {
      await wh.run("SET search_path = 'public,main'");
      const done = interactiveShell(
        duckdbBackend(wh.conn),
        { input, out, err },
        { format: 'table', historyFile: path.join(dir, 'history') },
      );
      input.end(
        'SELECT id,\n  name\nFROM customers WHERE id = 1;\n\\dt\n\\d customers\n\\timing\nSELECT 7 AS seven;\n\\q\n',
      );
      await done;
    } finally {
      wh.close();
    }
    expect(text).toContain('id  name\n--  ----\n 1  Ann\n(1 row)');
    expect(text).toMatch(/public\s+customers\s+table/);
    expect(text).toMatch(/name\s+VARCHAR\s+full name/);
    expect(text).toContain('Timing is on.');
    expect(text).toMatch(/seven\n-----\n {4}7\n\(1 row\)\nTime: [\d.]+ ms/);
  });

  it('knows when a statement is complete', () => {
    expect(isComplete('SELECT 1;')).toBe(true);
    expect(isComplete("SELECT ';'")).toBe(false);
    expect(isComplete('SELECT 1; -- done')).toBe(true);
    expect(isComplete('SELECT 1')).toBe(false);
  });
});
