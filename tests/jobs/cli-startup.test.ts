import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CDW = path.join(ROOT, 'bin', 'cdw.js');

// A resolve hook that names every module of the project and of @duckdb the CLI loads.
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(s, c, next) {
  const r = await next(s, c);
  if (/node_modules\\\\/@duckdb|\\\\/(connectors|transforms|identity|warehouse|demo)\\\\//.test(r.url)) console.error('LOADED ' + r.url);
  return r;
}\`));`)}`;

function cdw(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', HOOK, CDW, ...args], {
    env: { ...process.env, CDW_FROM_SOURCE: '1', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cdw start-up', () => {
  it('lists every command under --help without loading DuckDB or any layer below jobs/', () => {
    const r = cdw(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'status', 'sql', 'serve', 'report', 'sources', 'demo'])
      expect(r.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.err.split('\n').filter((l) => l.startsWith('LOADED'))).toEqual([]);
  });

  it('prints its version with --version', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const r = cdw(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
  });

  it("shows a command's own options under its --help", () => {
    const r = cdw(['status', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--json');
    expect(r.out).toMatch(/recent runs, their steps/);
  });
});
