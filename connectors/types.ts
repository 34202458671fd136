import type { z } from 'zod';
import type { Logger } from '../jobs/logger.ts';
import type { ResolvedSource, ResolvedTable } from '../jobs/config/types.ts';

/**
 * What a connector kind can do, declared as data so the pipeline never branches on a kind name.
 */
export interface ConnectorCapabilities {
  /** Reads only rows changed since the last cursor. */
  readonly incremental: boolean;
  /** Yields batches; memory stays flat whatever the source size. */
  readonly streaming: boolean;
  /** Can list all current keys to detect deleted rows. */
  readonly detectDeletes: boolean;
  /** Reads files (new files only; growing files by offset). */
  readonly files: boolean;
}

/** Outcome of `cdw check` for one source. */
export interface CheckResult {
  readonly ok: boolean;
  /** One line: what was reached (host:port, file count) or what failed and what to check. No row values. */
  readonly detail: string;
}

export interface ConnectorContext {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * One connector kind: its config shape and how to reach it. Implementations live in
 * `connectors/<kind>/`; the registry (`connectors/registry.ts`) is the only list of kinds.
 *
 * `connection` and `table` are zod object schemas for the kind-specific keys of a source's
 * `connection:` block and of each entry in `tables:`; config validation merges them with the
 * common keys, so typos are reported with their YAML path.
 */
export interface ConnectorKind {
  readonly kind: string;
  readonly description: string;
  readonly capabilities: ConnectorCapabilities;
  readonly connection: z.ZodObject;
  readonly table: z.ZodObject;
  /** Human description of where the source lives (`postgres 127.0.0.1:5432/billing`, a glob) — never secrets. */
  describe(source: ResolvedSource): string;
  /** Tries to reach the source and every table; never throws. */
  check(source: ResolvedSource, ctx: ConnectorContext): Promise<CheckResult>;
  /** Column names the table exposes, when they can be known without reading data (used by validation). */
  columns?(source: ResolvedSource, table: ResolvedTable, ctx: ConnectorContext): Promise<string[]>;
}
