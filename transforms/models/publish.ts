import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';
import type { ModelEnv, StagingModel } from './models.ts';

/**
 * Applies every model's changes to the published `staging.<model>` tables in one transaction
 * (created empty first on a rebuild), with `record` (the step's state) in the same
 * transaction: readers see last night's staging or tonight's, never a mix, and a run killed
 * anywhere before the commit leaves last night's staging and state as they were.
 */
export async function applyChanges(
  env: ModelEnv,
  models: readonly StagingModel[],
  record: () => Promise<void>,
  onApplied: (model: string) => void = () => undefined,
): Promise<void> {
  await env.wh.transaction(async () => {
    if (env.rebuild) for (const m of models) await m.create?.(env);
    for (const m of models) {
      await m.apply(env);
      onApplied(m.name);
    }
    await record();
  });
}

/** Drops the step's working tables (`staging._…`, and `staging.…__next` of older versions). */
export async function dropWorkTables(wh: Warehouse): Promise<void> {
  const rows = await wh.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'staging' AND (starts_with(table_name, '_') OR ends_with(table_name, '__next'))`,
  );
  for (const r of rows) await wh.run(`DROP TABLE IF EXISTS ${qualified('staging', r.table_name)}`);
}
