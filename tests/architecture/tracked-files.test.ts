import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SPECIFIER =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tracked(): Set<string> | undefined {
  if (!existsSync(path.join(ROOT, '.git'))) return undefined;
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
    return new Set(out.split('\0').filter(Boolean));
  } catch {
    return undefined;
  }
}

// A file that exists here but is not in git (an ignore rule that catches a source folder) is
// missing from every fresh clone: `npm ci && npx cdw demo` then fails.
describe('a fresh clone has every module', () => {
  const files = tracked();
  it.skipIf(files === undefined)('every relative import of a tracked file is tracked', () => {
    const all = files!;
    const missing: string[] = [];
    for (const file of all) {
      if (!file.endsWith('.ts') || !existsSync(path.join(ROOT, file))) continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1] ?? m[2];
        if (spec === undefined || !spec.startsWith('.')) continue;
        const target = path.normalize(path.join(path.dirname(file), spec));
        if (!all.has(target) && !all.has(`${target}.ts`)) missing.push(`${file} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cdw demo writes into a folder that is not part of the source tree', async () => {
    const { registerDemo } = await import('../../jobs/cli/commands/demo.ts');
    const { Command } = await import('commander');
    const program = new Command();
    registerDemo(program, {} as never);
    const demo = program.commands.find((c) => c.name() === 'demo')!;
    const dir = demo.options.find((o) => o.long === '--dir')!.defaultValue as string;
    expect(existsSync(path.join(ROOT, dir))).toBe(false);
  });
});

describe('the compiled dist/ has every file the code reads', () => {
  it('bin/build.js copies every kind of non-TypeScript file of the source folders', () => {
    const build = readFileSync(path.join(ROOT, 'bin/build.js'), 'utf8');
    const asset = new RegExp(/const ASSET = \/(.*)\/;/.exec(build)![1]!);
    const kinds = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (!/\.(ts|md)$/.test(e.name)) kinds.add(path.extname(e.name));
      }
    };
    for (const d of ['foundation', 'connectors', 'transforms', 'identity', 'warehouse', 'jobs'])
      walk(d);
    expect([...kinds].filter((ext) => !asset.test(`x${ext}`))).toEqual([]);
  });
});
