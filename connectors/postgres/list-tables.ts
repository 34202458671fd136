import type { ResolvedSource } from '../../foundation/config-types.ts';
import type { DiscoveredTable } from '../types.ts';
import { connectPg, pgEndpoint } from './connection.ts';
import { translatePgError } from './errors.ts';

/** The user tables and views of the database (`schema.table`), with columns and primary keys. */
export async function listPostgresTables(source: ResolvedSource): Promise<DiscoveredTable[]> {
  const client = await connectPg(source);
  try {
    const cols = await client.query<{ t: string; c: string }>(
      `SELECT table_schema || '.' || table_name AS t, column_name AS c
       FROM information_schema.columns
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
       ORDER BY table_schema, table_name, ordinal_position`,
    );
    const keys = await client.query<{ t: string; c: string }>(
      `SELECT k.table_schema || '.' || k.table_name AS t, k.column_name AS c
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
       WHERE tc.constraint_type = 'PRIMARY KEY'
       ORDER BY k.table_schema, k.table_name, k.ordinal_position`,
    );
    const tables = [...new Set(cols.rows.map((r) => r.t))];
    return tables.map((t) => ({
      name: t,
      columns: cols.rows.filter((r) => r.t === t).map((r) => r.c),
      primaryKey: keys.rows.filter((r) => r.t === t).map((r) => r.c),
    }));
  } catch (err) {
    throw translatePgError(err, { source: source.name, endpoint: pgEndpoint(source) });
  } finally {
    await client.end().catch(() => undefined);
  }
}
