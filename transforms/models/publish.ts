import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { nextName } from './models.ts';

/**
 * Replaces every `staging.<model>` by its freshly built `__next` table in one transaction,
 * so readers see last night's staging or tonight's, never a mix.
 */
export async function publishModels(wh: Warehouse, models: readonly string[]): Promise<void> {
  await wh.transaction(async () => {
    for (const m of models) {
      await wh.run(`DROP TABLE IF EXISTS ${qualified('staging', m)}`);
      await wh.run(`ALTER TABLE ${qualified('staging', nextName(m))} RENAME TO ${quoteIdent(m)}`);
    }
  });
}

/** Drops the step's working tables (`staging._…` and unpublished `staging.…__next`). */
export async function dropWorkTables(wh: Warehouse): Promise<void> {
  const rows = await wh.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'staging' AND (starts_with(table_name, '_') OR ends_with(table_name, '__next'))`,
  );
  for (const r of rows) await wh.run(`DROP TABLE IF EXISTS ${qualified('staging', r.table_name)}`);
}
