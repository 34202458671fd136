import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../../foundation/process-alive.ts';

const PREFIX = 'extract-';

/**
 * Where extraction writes temp files: the configured temp directory, else a `.cdw-tmp` folder
 * beside the warehouse file (same disk, not a RAM-backed /tmp), else the OS temp folder.
 */
export function extractTempRoot(warehousePath: string, tempDirectory: string | undefined): string {
  if (tempDirectory !== undefined) return tempDirectory;
  if (warehousePath === ':memory:') return os.tmpdir();
  return path.join(path.dirname(path.resolve(warehousePath)), '.cdw-tmp');
}

/** A private folder for one load's temp files; the caller removes it with `removeTempDir`. */
export async function makeLoadTempDir(root: string): Promise<string> {
  mkdirSync(root, { recursive: true });
  return mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Removes temp folders left by extract processes that died (the warehouse lock makes one writer). */
export function removeStaleTempDirs(root: string): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(e);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    rmSync(path.join(root, e), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
