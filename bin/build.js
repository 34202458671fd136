#!/usr/bin/env node
// Compiles the TypeScript sources to dist/ (npm's `prepare`, so `npm ci` builds it) and copies
// the files the code reads beside itself (.sql, .css, .html, .yaml). bin/cdw.js runs dist/ while it is
// newer than every source file, and the sources through tsx otherwise: a build that fails or is
// skipped costs start-up time, never correctness.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_DIRS = [
  'foundation',
  'connectors',
  'transforms',
  'identity',
  'warehouse',
  'jobs',
  'demo',
];
const ASSET = /\.(sql|css|html|yaml)$/;
const DIST = path.join(ROOT, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error(
    'cdw build: typescript is not installed (production install?); cdw runs from the sources',
  );
  process.exit(0);
}
rmSync(DIST, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (r.status !== 0 || !existsSync(path.join(DIST, 'jobs/cli/main.js'))) {
  console.error('cdw build: tsc failed; cdw runs from the sources (slower start)');
  rmSync(DIST, { recursive: true, force: true });
  process.exit(0);
}
function copyAssets(dir) {
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) copyAssets(rel);
    else if (ASSET.test(e.name)) {
      mkdirSync(path.join(DIST, dir), { recursive: true });
      cpSync(path.join(ROOT, rel), path.join(DIST, rel));
    }
  }
}
for (const d of SOURCE_DIRS) copyAssets(d);
// Written last: its time says when the build finished (bin/cdw.js compares the sources with it).
writeFileSync(path.join(DIST, '.built'), `${new Date().toISOString()}\n`);
