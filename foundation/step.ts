import type { CdwConfig } from './config-types.ts';
import type { Warehouse } from './duckdb-client.ts';
import type { Logger } from './logger.ts';
import type { Progress } from './progress.ts';
import type { StepResult } from './ledger.ts';

/** Counts a unit of work reports; every row read is either out or rejected. */
export interface Counts {
  readonly rowsIn: number | null;
  readonly rowsOut: number | null;
  readonly rowsRejected: number | null;
  /**
   * What the unit recomputed tonight because it changed (restaged keys, re-clustered records,
   * rebuilt customers), and what those are: on a quiet night these are small although the
   * tables are large. Absent when the unit does not work on what changed.
   */
  readonly touched?: Touched;
  /**
   * What needs a person's attention although the unit did its work (a file glob that matched
   * nothing, an empty file, a schema change let through, rows behind the cursor). A unit with
   * warnings is recorded `warning` and the run ends `partial` (exit code 2).
   */
  readonly warnings?: readonly string[];
  /**
   * What an operator should know but need not act on tonight (values kept out of staging as
   * implausible, with their count): shown in the unit's note, the status stays `succeeded`.
   */
  readonly notes?: readonly string[];
}

/** How many of what a unit recomputed: `{ count: 1204, what: 'customers' }`. */
export interface Touched {
  readonly count: number;
  readonly what: string;
}

/** What a pipeline step receives. The pipeline owns the warehouse and closes it. */
export interface StepContext {
  readonly config: CdwConfig;
  readonly wh: Warehouse;
  readonly runId: string;
  readonly logger: Logger;
  readonly progress: Progress;
  readonly signal: AbortSignal | undefined;
  /** The business "as of" given for this run (`cdw run --as-of`); else the marts take it from the data. */
  readonly asOf?: Date;
  /**
   * `cdw run --full-refresh`: recompute from raw instead of working on what changed since the
   * step's last successful run. An incremental night and a full refresh of the same inputs give
   * identical tables.
   */
  readonly fullRefresh?: boolean;
  /**
   * `cdw run --full-refresh --select SOURCE`: the sources whose tables are recomputed from raw
   * (restaged whole) while the step otherwise works on what changed.
   */
  readonly fullRefreshSources?: readonly string[];
  /**
   * Runs one unit of the step (a source table, a mart) as its own row in `meta.run_steps`.
   * Errors are caught and recorded: one failed unit never hides the others.
   */
  unit(source: string, fn: () => Promise<Counts>): Promise<StepResult>;
}

/**
 * A step of the nightly pipeline. `run` returns the results of its units (one per source
 * for extract); a step with no units returns one result for itself. A step that is not built
 * yet has `notBuilt` set with the reason and is recorded as skipped — never faked.
 */
export interface PipelineStep {
  readonly name: string;
  readonly description: string;
  readonly notBuilt?: string;
  run(ctx: StepContext): Promise<Counts | StepResult[]>;
}
