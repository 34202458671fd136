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
 * - `explicit → explicit (failed)`: a statement fails; until COMMIT/ROLLBACK only those run.
 * - `explicit → idle`: COMMIT (ROLLBACK if failed) or ROLLBACK.
 *
 * What is not transaction state stays apart: skipping messages until Sync after an error in the
 * extended protocol is the protocol's (`Session.skipUntilSync`).
 */
export type TxState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'implicit' }
  | { readonly kind: 'explicit'; readonly on: 'own'; readonly failed: boolean }
  | {
      readonly kind: 'explicit';
      readonly on: 'snapshot';
      readonly snapshot: PinnedSnapshot;
      readonly failed: boolean;
    };

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
