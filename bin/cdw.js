#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through the `prepare` script, bin/build.js)
// when it is newer than every source file; otherwise the TypeScript sources through tsx, so a
// fresh clone or an edited tree always runs what is there. CDW_FROM_SOURCE=1 forces the sources.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = [
  'foundation',
  'connectors',
  'transforms',
  'identity',
  'warehouse',
  'jobs',
  'demo',
];

function builtAt() {
  try {
    return statSync(path.join(ROOT, 'dist', '.built')).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether any source file (or folder: a file added or removed) changed after the build. */
function newerThan(dir, t) {
  let entries;
  try {
    if (statSync(dir).mtimeMs > t) return true;
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (newerThan(p, t)) return true;
    } else if (/\.(ts|sql|css|html|yaml)$/.test(e.name) && statSync(p).mtimeMs > t) return true;
  }
  return false;
}

const t = process.env.CDW_FROM_SOURCE ? undefined : builtAt();
let main;
if (t !== undefined && !SOURCE_DIRS.some((d) => newerThan(path.join(ROOT, d), t))) {
  ({ main } = await import('../dist/jobs/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../jobs/cli/main.ts'));
}
process.exitCode = await main(process.argv);
