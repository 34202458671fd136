import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';

/** Every published staging table. */
export const STAGING_TABLES = [
  'party_records',
  'transactions',
  'interactions',
  'web_hits',
  'cookie_links',
  'web_sessions',
] as const;

/**
 * Rows that are in one table and not the other (as multisets), per staging table: `{}` when
 * `schema` (of catalog `catalog`, e.g. an attached warehouse) holds the same rows as `staging`.
 */
export async function stagingDifferences(
  wh: Warehouse,
  other: { catalog?: string; schema: string },
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of STAGING_TABLES) {
    const a = qualified('staging', t);
    const b =
      other.catalog === undefined
        ? qualified(other.schema, t)
        : `"${other.catalog}".${qualified(other.schema, t)}`;
    const n = Number(
      await wh.scalar(
        `SELECT count(*) FROM ((FROM ${a} EXCEPT ALL FROM ${b}) UNION ALL (FROM ${b} EXCEPT ALL FROM ${a}))`,
      ),
    );
    if (n > 0) out[t] = n;
  }
  return out;
}

/** Copies every staging table into `schema` (created), to compare with later. */
export async function snapshotStaging(wh: Warehouse, schema: string): Promise<void> {
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  for (const t of STAGING_TABLES)
    await wh.run(
      `CREATE OR REPLACE TABLE ${qualified(schema, t)} AS FROM ${qualified('staging', t)}`,
    );
}
