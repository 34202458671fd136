import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../../foundation/sql.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { RawTable } from './raw-table.ts';

export interface TombstoneResult {
  readonly tombstoned: number;
  /** Keys whose latest landed version is live. */
  readonly live: number;
  /** Live keys the source did not list. */
  readonly absent: number;
  /**
   * Why nothing was tombstoned although keys are absent: the source listed no key at all
   * (`empty`), or more than the allowed share of the live keys is absent (`share`).
   */
  readonly held: 'empty' | 'share' | undefined;
}

/**
 * Compares the source's current key set (temp table `keysTable`, the key columns) with the keys
 * whose latest landed version is live and lands a tombstone (`_deleted = true`, key columns
 * only, `_loaded_at` = when it was noticed) for every key the source no longer has. An empty
 * key set never deletes everything, and a key set missing more than `maxDeleteShare` of the live
 * keys (a truncated extract or snapshot) deletes nothing: the caller warns instead.
 */
export async function landTombstones(
  conn: DuckDBConnection,
  raw: RawTable,
  keysTable: string,
  keyColumns: readonly string[],
  load: { readonly loadId: string; readonly loadedAt: string; readonly maxDeleteShare: number },
): Promise<TombstoneResult> {
  await raw.ensure(keyColumns.map((name) => ({ name, type: 'VARCHAR' })));
  const cols = keyColumns.map(quoteIdent);
  const keys = quoteIdent(keysTable);
  const live = `SELECT ${cols.join(', ')} FROM (
      SELECT ${cols.join(', ')}, _deleted FROM ${raw.sqlName}
      QUALIFY row_number() OVER (PARTITION BY ${cols.join(', ')} ORDER BY _loaded_at DESC, _row_hash DESC) = 1
    ) WHERE NOT _deleted`;
  const match = cols
    .map((c) => `CAST(k.${c} AS VARCHAR) IS NOT DISTINCT FROM CAST(l.${c} AS VARCHAR)`)
    .join(' AND ');
  const absent = `SELECT ${cols.map((c) => `l.${c}`).join(', ')} FROM (${live}) l WHERE NOT EXISTS (SELECT 1 FROM ${keys} k WHERE ${match})`;
  const counts = await readRows<{ keys: number; live: number; absent: number }>(
    conn,
    `SELECT (SELECT count(*) FROM ${keys}) AS keys, (SELECT count(*) FROM (${live})) AS live, (SELECT count(*) FROM (${absent})) AS absent`,
  );
  const keyCount = Number(counts[0]?.keys ?? 0);
  const liveCount = Number(counts[0]?.live ?? 0);
  const absentCount = Number(counts[0]?.absent ?? 0);
  const result = { tombstoned: 0, live: liveCount, absent: absentCount };
  if (absentCount === 0) return { ...result, held: undefined };
  if (keyCount === 0) return { ...result, held: 'empty' };
  if (absentCount / liveCount > load.maxDeleteShare) return { ...result, held: 'share' };
  const r = await conn.run(
    `INSERT INTO ${raw.sqlName} BY NAME
     SELECT a.*, $1::VARCHAR AS _load_id, $2::TIMESTAMPTZ AS _loaded_at,
            md5(json_array(${cols.map((c) => `a.${c}`).join(', ')})::VARCHAR) AS _row_hash, true AS _deleted
     FROM (${absent}) a`,
    [load.loadId, load.loadedAt],
  );
  return { ...result, tombstoned: Number(r.rowsChanged), held: undefined };
}
