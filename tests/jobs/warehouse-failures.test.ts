import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/warehouse.ts';
import { captureIO } from '../helpers/cli.ts';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';

// Issue 16, defect 10: warehouse failures told by their real cause, with what to do.

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function folder(): string {
  const t = tempDir('cdw-whfail-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** A tmpfs mounted for one test (root only); undefined where mounting is not allowed. */
function tmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  if (r.status !== 0) return false;
  cleanups.push(() => spawnSync('umount', ['-l', dir], { stdio: 'ignore' }));
  return true;
}
const canMount = (() => {
  const t = tempDir('cdw-mount-probe-');
  const ok = tmpfs(path.join(t.dir, 'm'), 'size=64k');
  cleanups.splice(0).forEach((c) => c());
  t.cleanup();
  return ok;
})();
if (!canMount)
  console.warn('SKIP: full-disk and read-only warehouse tests need to mount a tmpfs (root)');

async function cdw(dir: string, ...args: string[]) {
  const io = captureIO();
  const code = await main(['node', 'cdw', '-c', path.join(dir, 'cdw.yaml'), ...args], io);
  return { code, out: io.outText(), err: io.errText() };
}

describe('warehouse failures', () => {
  it('a damaged warehouse file is reported as damaged with what to do, never as "in use"', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'cdw.yaml'), 'warehouse: { path: wh.duckdb }\nsources: []\n');
    const file = path.join(dir, 'wh.duckdb');
    const wh = await Warehouse.open(file);
    await migrate(wh);
    await wh.run(
      'CREATE TABLE raw.big AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(200000)',
    );
    await wh.run('CHECKPOINT');
    wh.close();
    // Bytes flipped in the middle of the file: DuckDB's checksum error mentions a "block".
    const bytes = readFileSync(file);
    for (let i = 300_000; i < 600_000; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(file, bytes);
    const r = await cdw(dir, 'sql', '-c', 'SELECT sum(i) FROM raw.big');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `error: warehouse ${file} is damaged (DuckDB found a block that does not match its checksum, or the file is not a DuckDB database); restore it from a backup, or move it aside and run again to rebuild it from the sources`,
    );
    expect(r.err).not.toMatch(/in use|bug in cdw/);
  });

  it('a warehouse another process has open is reported as in use', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'cdw.yaml'), 'warehouse: { path: wh.duckdb }\n');
    const file = path.join(dir, 'wh.duckdb');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(file)}); console.log('open'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
    );
    cleanups.push(() => holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const r = await cdw(dir, 'status');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: warehouse ${file} is in use by another process (DuckDB allows one writer per file); stop it, or use "cdw serve" and connect to it\n`,
    );
  });

  it('a file that is no DuckDB database is reported as damaged', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'cdw.yaml'), 'warehouse: { path: wh.duckdb }\n');
    writeFileSync(path.join(dir, 'wh.duckdb'), 'not a database '.repeat(500));
    const r = await cdw(dir, 'run');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: warehouse \S+wh\.duckdb is damaged/);
  });

  it('a run whose process died shows as died in cdw status at once', async () => {
    const dir = folder();
    const cfgFile = path.join(dir, 'cdw.yaml');
    writeFileSync(cfgFile, 'warehouse:\n  path: w.duckdb\n');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/hung-run.ts'), cfgFile],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let said = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        said += c.toString();
        if (said.includes('started')) resolve();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${said}`)));
    });
    const runId = /run (\S+) started/.exec(said)![1]!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const r = await cdw(dir, 'status');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`run ${runId}  died  trigger=test`);
    expect(r.out).toMatch(/process \d+ on \S+ is gone; nothing of an unfinished load landed/);
  });

  it.skipIf(!canMount)(
    'a read-only folder is named as such, with what to do, not as a bug',
    async () => {
      const dir = folder();
      const ro = path.join(dir, 'ro');
      expect(tmpfs(ro, 'size=1m,ro')).toBe(true);
      writeFileSync(path.join(dir, 'cdw.yaml'), 'warehouse: { path: ro/wh.duckdb }\n');
      const r = await cdw(dir, 'run');
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `error: warehouse ${path.join(ro, 'wh.duckdb')} is on a read-only file system; set warehouse.path to a writable folder\n`,
      );
    },
  );

  it.skipIf(!canMount)(
    'a full disk fails the run with what to do; cdw status never shows it running',
    async () => {
      const dir = folder();
      const small = path.join(dir, 'small');
      expect(tmpfs(small, 'size=6m')).toBe(true);
      mkdirSync(path.join(dir, 'in'));
      const rows = Array.from(
        { length: 300_000 },
        (_, i) => `${i},${'n'.repeat(20)}${i},${i % 97}.50,2024-01-01T10:00:00Z`,
      );
      writeFileSync(path.join(dir, 'in', 'sales.csv'), `id,name,amount,at\n${rows.join('\n')}\n`);
      writeFileSync(
        path.join(dir, 'cdw.yaml'),
        `warehouse: { path: small/wh.duckdb }
sources:
  - name: pos
    kind: csv
    connection: { dir: in }
    tables:
      - { name: sales, entity: transaction, path: "sales.csv", mapping: { record_key: id, amount: amount, occurred_at: at } }
`,
      );
      const r = await cdw(dir, 'run');
      expect(r.code).not.toBe(0);
      const text = r.out + r.err;
      expect(text).toContain(
        `the disk holding warehouse ${path.join(small, 'wh.duckdb')} is full; free space there (or set warehouse.temp_directory on a larger disk) and run again`,
      );
      expect(text).not.toMatch(/bug in cdw/);
      // The run is failed, or — if the file took no more writes — shown as died, never running.
      spawnSync('mount', ['-o', 'remount,size=64m', small], { stdio: 'ignore' });
      const status = await cdw(dir, 'status');
      expect(status.out).toMatch(/^run \S+ {2}(failed|partial|died) /m);
    },
  );
});
