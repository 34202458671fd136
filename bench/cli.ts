import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CDW = path.join(ROOT, 'bin', 'cdw.js');

/**
 * CPU seconds (user + system) and wall seconds of one child process, read with getrusage of the
 * children in a small python3 wrapper (Node does not report a child's CPU time).
 */
function measure(args: readonly string[], env: Record<string, string> = {}) {
  const script = [
    'import json, resource, subprocess, sys, time',
    't0 = time.monotonic()',
    'subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
    'wall = time.monotonic() - t0',
    'r = resource.getrusage(resource.RUSAGE_CHILDREN)',
    'print(json.dumps({"cpu": r.ru_utime + r.ru_stime, "wall": wall}))',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script, process.execPath, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { cpu: number; wall: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * `cdw --help` and `cdw --version` start-up: the compiled dist/ (what `npm ci` builds), the
 * TypeScript sources through tsx (CDW_FROM_SOURCE=1), and the floor (`node -e ''`), each the
 * median of `--repeat` runs (default 5).
 */
export async function run(opts: Record<string, number | string | boolean>) {
  const repeat = typeof opts.repeat === 'number' ? opts.repeat : 5;
  const cases: [string, string[], Record<string, string>][] = [
    ['floor: node -e ""', ['-e', ''], {}],
    ['cdw --help (dist)', [CDW, '--help'], {}],
    ['cdw --version (dist)', [CDW, '--version'], {}],
    ['cdw --help (sources via tsx)', [CDW, '--help'], { CDW_FROM_SOURCE: '1' }],
  ];
  const figures: Record<string, unknown>[] = [];
  for (const [what, args, env] of cases) {
    const runs = Array.from({ length: repeat }, () => measure(args, env));
    figures.push({
      what,
      cpu_seconds: Number(median(runs.map((r) => r.cpu)).toFixed(3)),
      wall_seconds: Number(median(runs.map((r) => r.wall)).toFixed(3)),
      runs: repeat,
      load: os.loadavg().map((x) => Number(x.toFixed(2))),
    });
  }
  return figures;
}
