import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { LockError, WarehouseError } from '../foundation/errors.ts';
import { warehouseCause, warehouseCauseText } from '../foundation/warehouse-errors.ts';
import { processAlive } from '../foundation/process-alive.ts';

/** Who holds a warehouse: a run, or a server that owns the file (and can run loads itself). */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly holder: 'run' | 'server';
  readonly runId?: string;
  readonly since: string;
  /** For a server: where it listens, so `cdw run` can ask it to run. */
  readonly controlUrl?: string;
}

export function lockPath(warehousePath: string): string {
  return `${warehousePath}.lock`;
}

export function readLock(warehousePath: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(warehousePath), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** A lock whose process is gone (killed, crashed) on this host can be taken over. */
export function isStale(holder: LockHolder | undefined): boolean {
  if (holder === undefined) return true;
  return holder.host === os.hostname() && !processAlive(holder.pid);
}

export interface AcquiredLock {
  readonly holder: LockHolder;
  /** Set when the lock was taken over from a dead process. */
  readonly tookOverFrom: LockHolder | undefined;
  release(): void;
}

/**
 * One run at a time per warehouse: an exclusive lock file beside it, created atomically.
 * A second caller fails fast naming the holder; a lock left by a dead process is taken over.
 */
export function acquireLock(
  warehousePath: string,
  holder: Omit<LockHolder, 'pid' | 'host' | 'since'>,
): AcquiredLock {
  const file = lockPath(warehousePath);
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    ...holder,
  };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Owner-only: a server's lock holds the control endpoint's token, which can add an admin.
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        holder: me,
        tookOverFrom,
        release() {
          if (released) return;
          released = true;
          const current = readLock(warehousePath);
          if (current?.pid === me.pid && current.since === me.since) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        // The lock file beside the warehouse cannot be made: a read-only folder, a full disk.
        const cause = warehouseCause(err);
        throw new WarehouseError(
          cause === undefined
            ? `cannot create the lock file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the folder of warehouse.path`
            : warehouseCauseText(cause, warehousePath),
          { cause: err },
        );
      }
      const current = readLock(warehousePath);
      if (current !== undefined && !isStale(current))
        throw new LockError(describeHolder(warehousePath, current));
      tookOverFrom = current;
      try {
        unlinkSync(file);
      } catch {
        // another process may have taken it over first; the next attempt tells
      }
    }
  }
  throw new LockError(`could not take the lock ${file}; remove it if no cdw process is running`);
}

export function describeHolder(warehousePath: string, h: LockHolder): string {
  if (h.holder === 'server') {
    return `warehouse ${warehousePath} is owned by a cdw server (pid ${h.pid} on ${h.host}, since ${h.since})${
      h.controlUrl ? `; ask it to run with "cdw run" pointed at ${h.controlUrl}` : ''
    }`;
  }
  return `warehouse ${warehousePath} is locked by run ${h.runId ?? '?'} (pid ${h.pid} on ${h.host}, started ${h.since}); wait for it to finish or stop that process`;
}
