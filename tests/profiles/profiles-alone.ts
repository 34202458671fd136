import type { CdwConfig } from '../../foundation/config-types.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import type { StepResult } from '../../foundation/ledger.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { silentProgress } from '../../foundation/progress.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { runProfiles } from '../../warehouse/profiles/profiles-step.ts';

/**
 * Runs the profiles step on a warehouse file as the pipeline would inside run `runId` (so
 * identity's id history of that run counts as tonight's), at a fixed run time: two copies of one
 * warehouse, one built from what changed and one refreshed whole, can then be compared row for
 * row, run ids and times included. A failed unit throws.
 */
export async function profilesAlone(
  config: CdwConfig,
  file: string,
  opts: { runId: string; now: Date; fullRefresh: boolean },
): Promise<StepResult[]> {
  const wh = await Warehouse.open(file);
  try {
    const results = await profilesOn(config, wh, opts);
    await wh.run('CHECKPOINT');
    return results;
  } finally {
    wh.close();
  }
}

/** `profilesAlone` on an open warehouse. */
export async function profilesOn(
  config: CdwConfig,
  wh: Warehouse,
  opts: { runId: string; now: Date; fullRefresh: boolean },
): Promise<StepResult[]> {
  return runProfiles(
    {
      config,
      wh,
      runId: opts.runId,
      logger: silentLogger,
      progress: silentProgress,
      signal: undefined,
      fullRefresh: opts.fullRefresh,
      async unit(source, fn) {
        const t0 = Date.now();
        const { warnings, notes, ...c } = await fn();
        const said = [...(warnings ?? []), ...(notes ?? [])];
        return {
          step: 'profiles',
          source,
          status: 'succeeded',
          rowsIn: c.rowsIn,
          rowsOut: c.rowsOut,
          rowsRejected: c.rowsRejected,
          touched: c.touched,
          seconds: (Date.now() - t0) / 1000,
          error: said.length > 0 ? said.join('; ') : null,
        };
      },
    },
    { now: opts.now },
  );
}

/** Rows only in one of the two warehouses' tables, per table (`{}` when the same). */
export async function tableDifferences(
  a: string,
  b: string,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a, { readOnly: true });
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    const out: Record<string, number> = {};
    for (const t of tables) {
      const n = Number(
        await wh.scalar(
          `SELECT count(*) FROM ((FROM ${t} EXCEPT ALL FROM other.${t}) UNION ALL (FROM other.${t} EXCEPT ALL FROM ${t}))`,
        ),
      );
      if (n > 0) out[t] = n;
    }
    return out;
  } finally {
    wh.close();
  }
}
