import { readFileSync } from 'node:fs';
import type { Warehouse } from '../foundation/duckdb-client.ts';

const PREPARE_SQL = readFileSync(new URL('./prepare-records.sql', import.meta.url), 'utf8');

/**
 * Builds the temp table `id_records` from staging.party_records (see prepare-records.sql): the
 * records in the shape matching needs, with the same `rec_id`s for the same staging. Runs need it;
 * so do explanations afterwards (they rebuild it rather than the run keeping a copy of it).
 */
export async function prepareRecords(wh: Warehouse): Promise<number> {
  await wh.run(PREPARE_SQL);
  return Number(await wh.scalar('SELECT count(*) FROM id_records'));
}
