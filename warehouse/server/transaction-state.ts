import type { PinnedSnapshot } from './snapshot-router.ts';

/**
 * Where a session's transaction stands. One value replaces what were five independent flags;
 * these are the only legal states:
 *
 * | state                      | DuckDB transaction on the own connection | ReadyForQuery |
 * |----------------------------|------------------------------------------|---------------|
 * | `idle`                     | none (an admin's statements autocommit)  | `I`           |
 * | `implicit`                 | `BEGIN TRANSACTION READ ONLY`, analyst's | `I`           |
 * | `explicit` on `own`        | the client's BEGIN                       | `T` / `E`     |
 * | `explicit` on `snapshot`   | none: reads the load's pinned snapshot   | `T` / `E`     |
 *
 * Transitions (all made in `Session`, through the functions below):
 * - `idle → implicit`: an analyst's statement needs the own connection (`connectionFor`).
 * - `implicit → idle`: Sync, the end of a simple query, or an error (COMMIT, or ROLLBACK on error).
 * - `idle → explicit/snapshot`: BEGIN while a load runs (the snapshot is held until the end).
 * - `idle → explicit/own`: BEGIN otherwise; `implicit → explicit/own`: BEGIN inside an implicit
 *   transaction (before Sync) takes it over.
 * - `explicit → explicit (failed)`: a statement fails; until COMMIT/ROLLBACK (or ROLLBACK TO a
 *   savepoint) only those run.
 * - SAVEPOINT / RELEASE push and pop names. ROLLBACK TO a savepoint, in a transaction that has
 *   not written, clears `failed` (and the session restarts the DuckDB transaction, which an error
 *   may have aborted): reads undo nothing. In one that has written it is refused (0A000), since
 *   DuckDB cannot undo part of a transaction.
 * - `explicit → idle`: COMMIT (ROLLBACK if failed) or ROLLBACK.
 *
 * What is not transaction state stays apart: skipping messages until Sync after an error in the
 * extended protocol is the protocol's (`Session.skipUntilSync`).
 */
export type TxState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'implicit' }
  | ({ readonly kind: 'explicit'; readonly on: 'own'; readonly readOnly: boolean } & ExplicitCommon)
  | ({
      readonly kind: 'explicit';
      readonly on: 'snapshot';
      readonly snapshot: PinnedSnapshot;
    } & ExplicitCommon);

/** What every explicit transaction carries. */
export interface ExplicitCommon {
  readonly failed: boolean;
  /** Savepoints, oldest first. DuckDB has none: they are names only (see `rollbackTo`). */
  readonly savepoints: readonly string[];
  /** A statement that may have changed data ran in it (then ROLLBACK TO cannot be honoured). */
  readonly wrote: boolean;
}

export type ExplicitTx = Extract<TxState, { kind: 'explicit' }>;

export const IDLE: TxState = { kind: 'idle' };
export const IMPLICIT: TxState = { kind: 'implicit' };

/** A DuckDB transaction is open on the session's own connection. */
export function ownTransactionOpen(s: TxState): boolean {
  return s.kind === 'implicit' || (s.kind === 'explicit' && s.on === 'own');
}

/** The snapshot a transaction begun during a load reads, if this is one. */
export function pinnedSnapshot(s: TxState): PinnedSnapshot | undefined {
  return s.kind === 'explicit' && s.on === 'snapshot' ? s.snapshot : undefined;
}

/** The status byte of ReadyForQuery. */
export function readyStatus(s: TxState): 'I' | 'T' | 'E' {
  return s.kind === 'explicit' ? (s.failed ? 'E' : 'T') : 'I';
}

/** The same transaction after a failed statement (only an explicit one survives an error). */
export function failedIn(s: ExplicitTx): ExplicitTx {
  return { ...s, failed: true };
}

/** A fresh explicit transaction on the own connection. */
export function explicitOwn(readOnly: boolean): ExplicitTx {
  return { kind: 'explicit', on: 'own', readOnly, failed: false, savepoints: [], wrote: false };
}

/** A fresh explicit transaction reading a load's pinned snapshot. */
export function explicitOnSnapshot(snapshot: PinnedSnapshot): ExplicitTx {
  return {
    kind: 'explicit',
    on: 'snapshot',
    snapshot,
    failed: false,
    savepoints: [],
    wrote: false,
  };
}

/**
 * The transaction after ROLLBACK TO `name`: the savepoint stays, later ones go, and it is no
 * longer failed. Undefined when `name` is not a savepoint of it.
 */
export function rolledBackTo(s: ExplicitTx, name: string): ExplicitTx | undefined {
  const at = s.savepoints.lastIndexOf(name);
  if (at < 0) return undefined;
  return { ...s, failed: false, savepoints: s.savepoints.slice(0, at + 1) };
}

/** The transaction after RELEASE `name`: it and later savepoints go. */
export function released(s: ExplicitTx, name: string): ExplicitTx | undefined {
  const at = s.savepoints.lastIndexOf(name);
  if (at < 0) return undefined;
  return { ...s, savepoints: s.savepoints.slice(0, at) };
}
