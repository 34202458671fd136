import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './measure.ts';

/** A benchmark module: `bench/<name>.ts` exporting `run(opts)` that returns figure objects. */
interface BenchModule {
  run(opts: Record<string, number | string | boolean>): Promise<Record<string, unknown>[]>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(['harness', 'measure']);

export function benchNames(): string[] {
  return readdirSync(HERE)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_BENCHES.has(n))
    .sort();
}

/** Parses `--customers 100000 --rows=5 --flag` into options (numbers where they look like numbers). */
export function parseBenchArgs(args: readonly string[]): Record<string, number | string | boolean> {
  const opts: Record<string, number | string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const key = k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const next = args[i + 1];
    const raw = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : 'true');
    opts[key] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : /^-?\d+(\.\d+)?$/.test(raw)
            ? Number(raw)
            : raw;
  }
  return opts;
}

/** `npm run bench -- <name> [--customers N]`: prints one JSON line per figure set. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const names = benchNames();
  if (name === undefined || name === '--help' || name === '-h' || !names.includes(name)) {
    process.stderr.write(
      `usage: npm run bench -- <name> [--option value …]\nbenchmarks: ${names.join(', ')}\n`,
    );
    return name === undefined || name === '--help' || name === '-h' ? 0 : 64;
  }
  const opts = parseBenchArgs(rest);
  const mod = (await import(`./${name}.ts`)) as BenchModule;
  const started = new Date().toISOString();
  const figures = await mod.run(opts);
  for (const f of figures) {
    process.stdout.write(`${JSON.stringify({ bench: name, started, ...f, machine: machine() })}\n`);
  }
  return 0;
}
