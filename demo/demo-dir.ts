import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LockError } from '../foundation/errors.ts';
import { isStale, readLock } from '../jobs/lock.ts';
import { DemoError } from './errors.ts';

/** What a demo folder holds: generated sources, config, truth, manifest, and what cdw writes into it. */
export const DEMO_ENTRIES = ['billing', 'erp', 'pos', 'web', 'contact_center', 'marketing', 'nights', '.tmp-web', 'truth.csv', 'cdw.yaml', 'reports'];

/** Written by cdw itself beside the warehouse: the file, its WAL, lock and temp folders, extraction temp files. */
function cdwOwn(entry: string): boolean {
  return entry.startsWith('warehouse.duckdb') || entry.startsWith('.cdw');
}
export const MANIFEST_DIR = 'nights';

/**
 * Makes `dir` ready for a new demo company: created when missing; emptied of an earlier demo
 * (recognised by its `nights/` manifest); refused when it holds anything else, so `cdw demo`
 * never deletes files it did not write.
 */
export function prepareDemoDir(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  const earlierDemo = entries.includes(MANIFEST_DIR) && entries.includes('cdw.yaml');
  const foreign = entries.filter((e) => !DEMO_ENTRIES.includes(e) && !cdwOwn(e));
  if (!earlierDemo || foreign.length > 0) {
    const what = earlierDemo ? `files cdw demo did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})` : 'files and is not an earlier demo folder';
    throw new DemoError('demo_dir_not_empty', `${dir} holds ${what}; choose another folder with --dir or empty it`);
  }
  const holder = readLock(path.join(dir, 'warehouse.duckdb'));
  if (holder !== undefined && !isStale(holder)) {
    throw new LockError(`a cdw ${holder.holder} (pid ${holder.pid} on ${holder.host}) holds ${path.join(dir, 'warehouse.duckdb')}; stop it before generating a new demo there`);
  }
  for (const e of entries) rmSync(path.join(dir, e), { recursive: true, force: true });
}
