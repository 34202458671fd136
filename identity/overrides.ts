import type { Queryable, Warehouse } from '../foundation/duckdb-client.ts';
import { IdentityError } from './errors.ts';

export type OverrideKind = 'must_link' | 'cannot_link';

/** An analyst's decision about two records, applied every run. */
export interface OverrideRow {
  readonly party_uid_a: string;
  readonly party_uid_b: string;
  readonly kind: OverrideKind;
  readonly reason: string | null;
  readonly created_by: string | null;
  readonly created_at: Date;
}

/** SQL: the overrides of one kind between records of this run, as rec ids `l < r`. */
export function overridePairsSql(kind: OverrideKind): string {
  return `SELECT least(a.rec_id, b.rec_id) AS l, greatest(a.rec_id, b.rec_id) AS r
    FROM identity.overrides o
    JOIN id_records a ON a.party_uid = o.party_uid_a
    JOIN id_records b ON b.party_uid = o.party_uid_b
    WHERE o.kind = '${kind}'`;
}

function ordered(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * Records a must-link or cannot-link between two records (addressed by party_uid,
 * `source.table:key`), replacing any earlier decision about the same two. Both records must
 * exist in staging.party_records.
 */
export async function setOverride(
  wh: Warehouse,
  a: string,
  b: string,
  kind: OverrideKind,
  opts: { reason?: string; by?: string } = {},
): Promise<void> {
  if (a === b) throw new IdentityError('bad_request', 'an override needs two different records');
  for (const uid of [a, b]) {
    const found = (await wh.tableExists('staging', 'party_records'))
      ? Number(
          await wh.scalar('SELECT count(*) FROM staging.party_records WHERE party_uid = $1', [uid]),
        )
      : 0;
    if (found === 0)
      throw new IdentityError(
        'record_not_found',
        `record ${uid} is not in staging.party_records (records are addressed as source.table:key)`,
      );
  }
  const [x, y] = ordered(a, b);
  await wh.transaction(async () => {
    await wh.run('DELETE FROM identity.overrides WHERE party_uid_a = $1 AND party_uid_b = $2', [
      x,
      y,
    ]);
    await wh.run(
      'INSERT INTO identity.overrides (party_uid_a, party_uid_b, kind, reason, created_by) VALUES ($1, $2, $3, $4, $5)',
      [x, y, kind, opts.reason ?? null, opts.by ?? null],
    );
  });
}

/** Removes the decision about two records; false when there was none. */
export async function clearOverride(wh: Warehouse, a: string, b: string): Promise<boolean> {
  const [x, y] = ordered(a, b);
  const n = Number(
    await wh.scalar(
      'SELECT count(*) FROM identity.overrides WHERE party_uid_a = $1 AND party_uid_b = $2',
      [x, y],
    ),
  );
  await wh.run('DELETE FROM identity.overrides WHERE party_uid_a = $1 AND party_uid_b = $2', [
    x,
    y,
  ]);
  return n > 0;
}

export async function listOverrides(wh: Queryable): Promise<OverrideRow[]> {
  return wh.all<OverrideRow & Record<string, unknown>>(
    'SELECT party_uid_a, party_uid_b, kind, reason, created_by, created_at FROM identity.overrides ORDER BY created_at, party_uid_a, party_uid_b',
  );
}
