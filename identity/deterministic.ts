import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { IDENTIFIER_KINDS, XREF_KIND } from './identifier-kinds.ts';
import type { IdentitySettings } from './settings.ts';
import { countHolders } from './name-holders.ts';
import { listValue } from '@duckdb/node-api';

/** How many records a value may sit on, per allowed holder, before it counts as shared. */
export const RECORDS_PER_HOLDER = 5;

export interface DeterministicOutcome {
  readonly sharedValues: number;
  readonly pairs: number;
}

/** Bit of a deterministic kind in a pair's `det_mask`: its position in settings.deterministic. */
export function kindBit(settings: IdentitySettings, kind: string): number {
  return settings.deterministic.indexOf(kind);
}

/**
 * `ident_holders(bit, v, holders)`: people holding each value held under two or more first
 * names, counted by compatible names (name-holders.ts); every other value has one holder.
 * Only these values reach JavaScript, as distinct names: a few per value.
 */
async function countValueHolders(wh: Warehouse): Promise<void> {
  const rows = await wh.all<{ bit: number; v: string; names: { first: string; given: string }[] }>(
    `SELECT bit, v, list(DISTINCT {'first': first_key, 'given': coalesce(given_key, first_key)}) AS names
     FROM ident WHERE first_key IS NOT NULL
     GROUP BY bit, v HAVING count(DISTINCT first_key) > 1`,
  );
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE ident_holders (bit TINYINT, v VARCHAR, holders INTEGER)',
  );
  if (rows.length === 0) return;
  await wh.run(
    `INSERT INTO ident_holders SELECT unnest($1::TINYINT[]), unnest($2::VARCHAR[]), unnest($3::INTEGER[])`,
    [
      listValue(rows.map((r) => r.bit)),
      listValue(rows.map((r) => r.v)),
      listValue(rows.map((r) => countHolders(r.names))),
    ],
  );
}

/**
 * Deterministic link candidates into the temp table `det_pairs(l, r, det_mask, det_shared)`;
 * `det_shared` marks kinds whose value more than one person holds (a family e-mail, a
 * household landline), where a link also needs the first names to agree. A value held
 * by more people than its kind's limit (people counted by compatible first names — an initial,
 * a nickname, a typo or no name at all is the same holder — and at most RECORDS_PER_HOLDER
 * records per allowed holder) links nothing; it is listed in
 * identity.shared_identifiers by hash and mask only. Whether a candidate becomes a link is
 * decided after scoring (names must not disagree, see accept-links.ts).
 */
export async function buildDeterministicPairs(
  wh: Warehouse,
  settings: IdentitySettings,
  runId: string,
): Promise<DeterministicOutcome> {
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE det_pairs (l INTEGER NOT NULL, r INTEGER NOT NULL, det_mask BIGINT NOT NULL, det_shared BIGINT NOT NULL)',
  );
  const kinds = IDENTIFIER_KINDS.filter((k) => settings.deterministic.includes(k.name));
  let sharedValues = 0;
  if (kinds.length > 0) {
    const selects = kinds.flatMap((k) =>
      k.columns.map(
        (col) =>
          `SELECT rec_id, ${kindBit(settings, k.name)}::TINYINT AS bit, ${quoteIdent(col)} AS v, first_key, given_key FROM id_records WHERE ${quoteIdent(col)} IS NOT NULL`,
      ),
    );
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE ident AS SELECT DISTINCT rec_id, bit, v, first_key, given_key FROM (${selects.join(' UNION ALL ')})`,
    );
    await countValueHolders(wh);
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE ident_limits (bit TINYINT, kind VARCHAR, lim INTEGER)',
    );
    for (const k of kinds) {
      await wh.run('INSERT INTO ident_limits VALUES ($1, $2, $3)', [
        kindBit(settings, k.name),
        k.name,
        settings.sharedIdentifierLimits[k.name] ?? k.defaultLimit,
      ]);
    }
    await wh.run(`
      CREATE OR REPLACE TEMP TABLE ident_values AS
      SELECT i.bit, i.v, count(*) AS records, coalesce(any_value(h.holders), 1) AS holders, any_value(lim.lim) AS lim, any_value(lim.kind) AS kind
      FROM ident i JOIN ident_limits lim USING (bit) LEFT JOIN ident_holders h USING (bit, v)
      GROUP BY i.bit, i.v HAVING count(*) > 1`);
    await wh.run(
      `INSERT INTO identity.shared_identifiers
       SELECT $1, kind, sha256(v),
              CASE WHEN contains(v, '@') THEN left(v, 1) || '***@' || split_part(v, '@', 2)
                   ELSE left(v, 2) || repeat('*', greatest(length(v) - 4, 1)) || right(v, 2) END,
              holders, records, lim
       FROM ident_values WHERE holders > lim OR records > lim * ${RECORDS_PER_HOLDER}`,
      [runId],
    );
    sharedValues = Number(
      await wh.scalar('SELECT count(*) FROM identity.shared_identifiers WHERE run_id = $1', [
        runId,
      ]),
    );
    await wh.run(`
      INSERT INTO det_pairs
      SELECT a.rec_id, b.rec_id, bit_or(1::BIGINT << a.bit), bit_or(CASE WHEN iv.holders > 1 THEN 1::BIGINT << a.bit ELSE 0 END)
      FROM ident a
      JOIN ident_values iv ON iv.bit = a.bit AND iv.v = a.v AND iv.holders <= iv.lim AND iv.records <= iv.lim * ${RECORDS_PER_HOLDER}
      JOIN ident b ON b.bit = a.bit AND b.v = a.v AND a.rec_id < b.rec_id
      GROUP BY a.rec_id, b.rec_id`);
    await wh.run(
      'DROP TABLE ident; DROP TABLE ident_values; DROP TABLE ident_limits; DROP TABLE ident_holders',
    );
  }
  if (settings.deterministic.includes(XREF_KIND)) {
    await wh.run(`
      INSERT INTO det_pairs
      SELECT least(a.rec_id, b.rec_id), greatest(a.rec_id, b.rec_id), 1::BIGINT << ${kindBit(settings, XREF_KIND)}, 0
      FROM id_records a
      JOIN id_records b ON b.party_uid = a.external_ref_source || ':' || a.external_ref
      WHERE a.external_ref IS NOT NULL AND a.rec_id <> b.rec_id`);
  }
  const pairs = Number(await wh.scalar('SELECT count(*) FROM det_pairs'));
  return { sharedValues, pairs };
}
