import type { DuckDBConnection } from '@duckdb/node-api';
import { readRows } from '../../foundation/duckdb-client.ts';
import { WarehouseAccessError } from '../errors.ts';

/**
 * Grants of server users beyond their role (`meta.user_grants`). `pii`: an analyst sees the
 * personal columns of `public` and `marts` in full instead of masked (masked-views.ts). Admins
 * always see them.
 */
export const GRANTS = ['pii'] as const;
export type Grant = (typeof GRANTS)[number];

export function isGrant(s: string): s is Grant {
  return (GRANTS as readonly string[]).includes(s);
}

/** Sets the grants of a user to exactly `grants` (an empty list takes them all away). */
export async function setGrants(
  conn: DuckDBConnection,
  name: string,
  grants: readonly string[],
): Promise<void> {
  for (const g of grants)
    if (!isGrant(g))
      throw new WarehouseAccessError(
        'invalid_grant',
        `unknown grant "${g}"; grants are: ${GRANTS.join(', ')}`,
      );
  await conn.run('DELETE FROM meta.user_grants WHERE name = $1', [name]);
  for (const g of new Set(grants))
    await conn.run('INSERT INTO meta.user_grants VALUES ($1, $2)', [name, g]);
}

/** The grants of every user, by name. */
export async function allGrants(conn: DuckDBConnection): Promise<Map<string, string[]>> {
  const rows = await readRows<{ name: string; grant_name: string }>(
    conn,
    'SELECT name, grant_name FROM meta.user_grants ORDER BY name, grant_name',
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.name, [...(out.get(r.name) ?? []), r.grant_name]);
  return out;
}

/** Whether a user holds a grant; false when the warehouse has no grants table yet. */
export async function hasGrant(
  conn: DuckDBConnection,
  name: string,
  grant: Grant,
): Promise<boolean> {
  try {
    const rows = await readRows(
      conn,
      'SELECT 1 FROM meta.user_grants WHERE name = $1 AND grant_name = $2',
      [name, grant],
    );
    return rows.length > 0;
  } catch {
    return false;
  }
}
