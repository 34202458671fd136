import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../../foundation/sql.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { KeysBatch } from './batch.ts';
import { readKeysCall } from './read-csv-sql.ts';
import type { RawTable } from './raw-table.ts';

export interface TombstoneResult {
  readonly tombstoned: number;
  readonly live: number;
  /** The source listed no key at all while raw holds live keys: nothing was tombstoned. */
  readonly skippedEmptySource: boolean;
}

/**
 * Compares the source's current key set with the keys whose latest landed version is live and
 * lands a tombstone (`_deleted = true`, key columns only, `_loaded_at` = when it was noticed)
 * for every key the source no longer has. An empty key set never deletes everything.
 */
export async function landTombstones(
  conn: DuckDBConnection,
  raw: RawTable,
  batch: KeysBatch,
  keyColumns: readonly string[],
  load: { readonly loadId: string; readonly loadedAt: string },
): Promise<TombstoneResult> {
  await raw.ensure(keyColumns.map((name) => ({ name, type: 'VARCHAR' })));
  const cols = keyColumns.map(quoteIdent);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cdw_keys AS SELECT * FROM ${readKeysCall(batch.columns, batch.dialect)}`,
    [batch.path],
  );
  const live = `SELECT ${cols.join(', ')} FROM (
      SELECT ${cols.join(', ')}, _deleted FROM ${raw.sqlName}
      QUALIFY row_number() OVER (PARTITION BY ${cols.join(', ')} ORDER BY _loaded_at DESC, _row_hash DESC) = 1
    ) WHERE NOT _deleted`;
  try {
    const counts = await readRows<{ keys: number; live: number }>(
      conn,
      `SELECT (SELECT count(*) FROM cdw_keys) AS keys, (SELECT count(*) FROM (${live})) AS live`,
    );
    const keys = Number(counts[0]?.keys ?? 0);
    const liveCount = Number(counts[0]?.live ?? 0);
    if (keys === 0 && liveCount > 0)
      return { tombstoned: 0, live: liveCount, skippedEmptySource: true };
    const match = cols.map((c) => `k.${c} IS NOT DISTINCT FROM l.${c}`).join(' AND ');
    const r = await conn.run(
      `INSERT INTO ${raw.sqlName} BY NAME
       SELECT ${cols.map((c) => `l.${c}`).join(', ')}, $1::VARCHAR AS _load_id, $2::TIMESTAMPTZ AS _loaded_at,
              md5(json_array(${cols.map((c) => `l.${c}`).join(', ')})::VARCHAR) AS _row_hash, true AS _deleted
       FROM (${live}) l WHERE NOT EXISTS (SELECT 1 FROM cdw_keys k WHERE ${match})`,
      [load.loadId, load.loadedAt],
    );
    return { tombstoned: Number(r.rowsChanged), live: liveCount, skippedEmptySource: false };
  } finally {
    await conn.run('DROP TABLE IF EXISTS cdw_keys');
  }
}
