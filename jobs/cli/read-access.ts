import { existsSync } from 'node:fs';
import { Warehouse, type Queryable } from '../../foundation/duckdb-client.ts';
import { isStale, readLock, type LockHolder } from '../lock.ts';
import { RemoteWarehouse } from '../serve/remote-warehouse.ts';
import { JobError } from '../errors.ts';

/** A warehouse opened for reading: the file itself, or through the server that owns it. */
export interface ReadAccess {
  readonly wh: Queryable;
  /** Set when the reads go through a `cdw serve` (DuckDB keeps the file closed to others). */
  readonly server: LockHolder | undefined;
  /** The local file, when read directly (the shell's own connection). */
  readonly local: Warehouse | undefined;
  close(): Promise<void>;
}

/** The live server that owns the warehouse, if one does. */
export function owningServer(warehousePath: string): LockHolder | undefined {
  const holder = readLock(warehousePath);
  return holder && !isStale(holder) && holder.holder === 'server' && holder.controlUrl
    ? holder
    : undefined;
}

/**
 * Opens the warehouse for a read command: through the control endpoint of the `cdw serve` that
 * owns it, else the file read-only. Undefined when there is no warehouse yet and `optional`.
 * `session`: the command reads several times over one snapshot or makes temp tables, so through
 * the server it gets a read session of its own (one connection, one read-only transaction).
 */
export async function openForReading(
  warehousePath: string,
  opts: { optional?: boolean; session?: boolean } = {},
): Promise<ReadAccess | undefined> {
  const server = owningServer(warehousePath);
  if (server) {
    const wh = opts.session
      ? await RemoteWarehouse.session(server.controlUrl!)
      : new RemoteWarehouse(server.controlUrl!);
    return { wh, server, local: undefined, close: () => wh.endSession() };
  }
  if (!existsSync(warehousePath)) {
    if (opts.optional) return undefined;
    throw new JobError('no_warehouse', `no warehouse at ${warehousePath} yet; run "cdw run" first`);
  }
  const wh = await Warehouse.open(warehousePath, { readOnly: true });
  return {
    wh,
    server: undefined,
    local: wh,
    close: async () => wh.close(),
  };
}
