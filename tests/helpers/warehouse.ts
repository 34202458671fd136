import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'cdw-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated in-memory warehouse for one test. Close it in afterEach/finally. */
export async function memoryWarehouse(): Promise<Warehouse> {
  const wh = await Warehouse.open(':memory:');
  await migrate(wh);
  return wh;
}
