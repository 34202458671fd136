import { WarehouseError } from './errors.ts';

/** Why the warehouse file could not be used, told by the real cause, with what to do. */
export type WarehouseCause = 'locked' | 'corrupt' | 'disk_full' | 'read_only' | 'no_access';

const CAUSES: readonly { cause: WarehouseCause; test: RegExp }[] = [
  // "Could not set lock on file …: Conflicting lock is held in …" — not "block", which corrupt files mention.
  { cause: 'locked', test: /Could not set lock on file|Conflicting lock is held/i },
  {
    cause: 'corrupt',
    test: /not a valid DuckDB database file|Corrupt database file|does not match stored checksum|database file .* is corrupt/i,
  },
  {
    cause: 'disk_full',
    test: /No space left on device|ENOSPC|Disk quota exceeded|EDQUOT|File too large|EFBIG|disk is full/i,
  },
  { cause: 'read_only', test: /Read-only file system|EROFS/i },
  { cause: 'no_access', test: /Permission denied|EACCES|EPERM|Operation not permitted/i },
];

/** The cause of a DuckDB or file-system error about the warehouse; undefined when it is none of these. */
export function warehouseCause(err: unknown): WarehouseCause | undefined {
  const text = causeText(err);
  return CAUSES.find((c) => c.test.test(text))?.cause;
}

/**
 * What to tell the user for a cause: what happened to `file`, and what to do. No DuckDB text
 * (it can quote values); the cause is enough.
 */
export function warehouseCauseText(cause: WarehouseCause, file: string): string {
  switch (cause) {
    case 'locked':
      return `warehouse ${file} is in use by another process (DuckDB allows one writer per file); stop it, or use "cdw serve" and connect to it`;
    case 'corrupt':
      return `warehouse ${file} is damaged (DuckDB found a block that does not match its checksum, or the file is not a DuckDB database); restore it from a backup, or move it aside and run again to rebuild it from the sources`;
    case 'disk_full':
      return `the disk holding warehouse ${file} is full; free space there (or set warehouse.temp_directory on a larger disk) and run again — a load that did not finish landed nothing and is read again`;
    case 'read_only':
      return `warehouse ${file} is on a read-only file system; set warehouse.path to a writable folder`;
    case 'no_access':
      return `warehouse ${file} cannot be written by this user; check the permissions of the file and its folder`;
  }
}

/**
 * A warehouse error translated by its real cause, or undefined when the error has none of the
 * known causes (then the caller reports it as it is). A database DuckDB invalidated after a
 * fatal error (often a full disk) is reported by the original error when DuckDB gives it.
 */
export function translateWarehouseError(err: unknown, file: string): WarehouseError | undefined {
  if (err instanceof WarehouseError) return err;
  const cause = warehouseCause(err);
  if (cause !== undefined)
    return new WarehouseError(warehouseCauseText(cause, file), { cause: err });
  if (/database has been invalidated/i.test(causeText(err)))
    return new WarehouseError(
      `warehouse ${file} stopped after a fatal error earlier in this run (DuckDB invalidated it; often a full disk or a failed write); check the disk and run again — a load that did not finish landed nothing and is read again`,
      { cause: err },
    );
  return undefined;
}

/** The message of an error and of the errors it wraps (`cause`), one after another. */
function causeText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(e.message, (e as NodeJS.ErrnoException).code ?? '');
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join('\n');
}
