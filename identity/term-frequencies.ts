import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent, quoteLiteral } from '../foundation/sql.ts';
import { customColumn, customTfColumn, type CustomComparisonSpec } from './custom-comparisons.ts';

/**
 * A term-frequency column of the prepared records (`prepare-records.sql`) and the column whose
 * value it is the frequency of; columns of one `kind` share one table of frequencies (a phone
 * number is as common as a mobile as it is as a landline).
 */
interface TfColumn {
  readonly kind: string;
  readonly tf: string;
  readonly value: string;
}

const BUILT_IN: readonly TfColumn[] = [
  { kind: 'first', tf: 'tf_first', value: 'first_key' },
  { kind: 'last', tf: 'tf_last', value: 'last_key' },
  { kind: 'email', tf: 'tf_email', value: 'email_key' },
  { kind: 'email_user', tf: 'tf_email_user', value: 'email_user' },
  { kind: 'address', tf: 'tf_address', value: 'address_key' },
  { kind: 'phone', tf: 'tf_phone', value: 'phone_e164' },
  { kind: 'phone', tf: 'tf_mobile', value: 'mobile_e164' },
  { kind: 'birth', tf: 'tf_birth', value: 'birth_date' },
  { kind: 'city', tf: 'tf_city', value: 'city_norm' },
];

/** The term-frequency columns of the prepared records, built-in and of configured comparisons. */
export function tfColumns(custom: readonly CustomComparisonSpec[]): TfColumn[] {
  return [
    ...BUILT_IN,
    ...custom.map((c) => ({
      kind: customColumn(c),
      tf: customTfColumn(c),
      value: customColumn(c),
    })),
  ];
}

/** The columns a record's term frequencies are looked up by (part of what a kept pair depends on). */
export function tfValueColumns(custom: readonly CustomComparisonSpec[]): string[] {
  return [...new Set(tfColumns(custom).map((c) => c.value))];
}

/**
 * The term frequencies kept with the model (`identity.kept_tf`: kind, value as text, tf). A
 * term frequency is a share of all holders, so one new holder moves every record's frequency a
 * little; frozen with the model that scores, they give a pair the same weight night after night
 * while its two records do not change (what lets a night keep the weights of unchanged pairs,
 * `candidate-pairs.ts`). Replaced in the publishing transaction of a run that trains, from the
 * frequencies that run computed over all its records.
 */
export async function openKeptTf(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE TABLE IF NOT EXISTS identity.kept_tf (
    kind VARCHAR NOT NULL, value VARCHAR NOT NULL, tf FLOAT NOT NULL)`);
}

/** Whether frequencies were kept with the model (a model kept before they were has none). */
export async function hasKeptTf(wh: Warehouse): Promise<boolean> {
  return Number(await wh.scalar('SELECT count(*) FROM identity.kept_tf')) > 0;
}

/** In the publishing transaction of a run that trains: tonight's frequencies (of `id_records`). */
export async function keepTf(
  wh: Warehouse,
  custom: readonly CustomComparisonSpec[],
): Promise<void> {
  const parts = tfColumns(custom).map(
    (c) =>
      `SELECT ${quoteLiteral(c.kind)} AS kind, ${quoteIdent(c.value)}::VARCHAR AS value, ${quoteIdent(c.tf)} AS tf
       FROM id_records WHERE ${quoteIdent(c.value)} IS NOT NULL AND ${quoteIdent(c.tf)} IS NOT NULL`,
  );
  await wh.run('DELETE FROM identity.kept_tf');
  await wh.run(`INSERT INTO identity.kept_tf
    SELECT kind, value, min(tf) FROM (${parts.join(' UNION ALL ')}) GROUP BY kind, value ORDER BY kind, value`);
}

/**
 * Puts the kept frequencies in the tf columns of `id_records` (they were computed over tonight's
 * records): a value seen at training takes its frequency then, a value never seen then takes its
 * kind's smallest frequency at training (one holder's share), a missing value none. An incremental
 * night and a full refresh scored by the same kept model read the same frequencies.
 */
export async function applyKeptTf(
  wh: Warehouse,
  custom: readonly CustomComparisonSpec[],
): Promise<void> {
  const cols = tfColumns(custom);
  const joins = cols.map(
    (c, i) =>
      `LEFT JOIN identity.kept_tf k${i} ON k${i}.kind = ${quoteLiteral(c.kind)} AND k${i}.value = r.${quoteIdent(c.value)}::VARCHAR`,
  );
  const replaced = cols.map(
    (c, i) =>
      `CASE WHEN r.${quoteIdent(c.value)} IS NOT NULL THEN coalesce(k${i}.tf, (SELECT min(tf) FROM identity.kept_tf WHERE kind = ${quoteLiteral(c.kind)})) END::FLOAT AS ${quoteIdent(c.tf)}`,
  );
  // a narrow table of the kept frequencies, then an update of those columns only: id_records is
  // wide, and copying it whole costs more than looking the frequencies up
  await wh.run(`CREATE OR REPLACE TEMP TABLE kept_tf_rec AS
    SELECT r.rec_id, ${replaced.join(', ')}
    FROM id_records r ${joins.join(' ')}`);
  await wh.run(
    `UPDATE id_records SET ${cols
      .map((c) => `${quoteIdent(c.tf)} = k.${quoteIdent(c.tf)}`)
      .join(', ')} FROM kept_tf_rec k WHERE id_records.rec_id = k.rec_id`,
  );
  await wh.run('DROP TABLE kept_tf_rec');
}

/**
 * Erasure (jobs/privacy): forgets the kept frequencies of the values only `parties` hold among
 * the published records (`identity.records`), so no value of an erased person stays here. A
 * value others hold too stays, with its frequency: it says nothing of the person, and the
 * weights of the others' pairs must not move. A value forgotten takes its kind's smallest
 * frequency if it comes back (as any value not seen at training). Runs before the records'
 * personal columns are cleared. Returns the rows forgotten.
 */
export async function forgetKeptTf(wh: Warehouse, parties: string): Promise<number> {
  if (!(await wh.tableExists('identity', 'kept_tf'))) return 0;
  if (!(await wh.tableExists('identity', 'records'))) return 0;
  const columns = new Set(
    (
      await wh.all<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema = 'identity' AND table_name = 'records'`,
      )
    ).map((c) => c.name),
  );
  const kinds = (await wh.all<{ kind: string }>('SELECT DISTINCT kind FROM identity.kept_tf')).map(
    (k) => k.kind,
  );
  // built-in kinds by their value columns; a configured comparison's kind is its column
  const sources = [
    ...BUILT_IN.filter((c) => kinds.includes(c.kind)),
    ...kinds.filter((k) => !BUILT_IN.some((c) => c.kind === k)).map((k) => ({ kind: k, value: k })),
  ].filter((c) => columns.has(c.value));
  if (sources.length === 0) return 0;
  const values = (mine: boolean) =>
    sources
      .map(
        (c) =>
          `SELECT ${quoteLiteral(c.kind)} AS kind, ${quoteIdent(c.value)}::VARCHAR AS value FROM identity.records
           WHERE ${quoteIdent(c.value)} IS NOT NULL AND ${mine ? '' : 'NOT '}party_uid IN (${parties})`,
      )
      .join(' UNION ');
  const only = `(${values(true)}) EXCEPT (${values(false)})`;
  const n = Number(
    await wh.scalar(
      `SELECT count(*) FROM identity.kept_tf WHERE (kind, value) IN (SELECT (kind, value) FROM (${only}))`,
    ),
  );
  if (n > 0)
    await wh.run(
      `DELETE FROM identity.kept_tf WHERE (kind, value) IN (SELECT (kind, value) FROM (${only}))`,
    );
  return n;
}
