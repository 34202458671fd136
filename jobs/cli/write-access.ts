import { Warehouse } from '../../foundation/duckdb-client.ts';
import { migrate } from '../../foundation/migrate.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { acquireLock } from '../lock.ts';
import { owningServer } from './read-access.ts';

/**
 * Runs a write command: `remote` through the control endpoint of the `cdw serve` that owns the
 * warehouse, else `local` on the file under the warehouse lock (migrated first). `runId` names
 * the command in the lock file.
 */
export async function withWriteAccess<T>(
  config: CdwConfig,
  runId: string,
  local: (wh: Warehouse) => Promise<T>,
  remote: (controlUrl: string) => Promise<T>,
): Promise<T> {
  const server = owningServer(config.warehouse.path);
  if (server) return remote(server.controlUrl!);
  const lock = acquireLock(config.warehouse.path, { holder: 'run', runId });
  try {
    const wh = await Warehouse.open(config.warehouse.path);
    try {
      await migrate(wh);
      return await local(wh);
    } finally {
      wh.close();
    }
  } finally {
    lock.release();
  }
}
