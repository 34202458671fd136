import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { personalKind } from '../../foundation/personal-data.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { forgetKeptTf } from '../../identity/term-frequencies.ts';

/** Schemas whose tables are erased by column name (raw has its own rules: erase-raw.ts). */
const LAYERS = ['staging', 'identity', 'core', 'marts', 'public'] as const;

/**
 * How a row of a table is known to be the person's: any of these columns the table has names
 * them (a campaign send resolved by e-mail has no party_uid but its contact_uid is theirs). A
 * mart row that names other people beside the person (household members) loses their names
 * here and gets them back when the marts are rebuilt after the erasure.
 */
const ROW_KEYS: readonly (readonly [string, string])[] = [
  ['party_uid', 'SELECT party_uid FROM erase_parties'],
  ['txn_uid', 'SELECT txn_uid FROM erase_txn'],
  ['interaction_uid', 'SELECT interaction_uid FROM erase_int'],
  ['hit_uid', 'SELECT hit_uid FROM erase_hits'],
  ['contact_uid', 'SELECT contact_uid FROM erase_contacts'],
  ['session_id', 'SELECT session_id FROM erase_sessions'],
  ['member_id', 'SELECT customer_id FROM erase_ids'],
  ['customer_id', 'SELECT customer_id FROM erase_ids'],
  ['cookie_id', 'SELECT cookie_id FROM erase_cookies'],
  ['user_id', "SELECT value FROM erase_values WHERE kind = 'web_user_id'"],
];

type ColumnInfo = {
  readonly table_schema: string;
  readonly table_name: string;
  readonly column_name: string;
  readonly is_nullable: string;
  readonly data_type: string;
};

/**
 * Clears the personal columns (foundation/personal-data.ts) of the person's rows in every base
 * table of staging, identity, core, marts and public, and the value of the golden record's
 * lineage for personal attributes. Returns rows changed per layer. Idempotent.
 */
export async function eraseLayers(wh: Warehouse): Promise<Record<string, number>> {
  const columns = await wh.all<ColumnInfo>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.is_nullable, c.data_type
     FROM information_schema.columns c JOIN information_schema.tables t
       ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE t.table_type = 'BASE TABLE' AND t.table_catalog = current_database()
       AND c.table_schema IN (${LAYERS.map((l) => `'${l}'`).join(', ')})
     ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, ColumnInfo[]>();
  for (const c of columns) {
    const key = `${c.table_schema}.${c.table_name}`;
    tables.set(key, [...(tables.get(key) ?? []), c]);
  }
  const counts: Record<string, number> = {};
  for (const cols of tables.values()) {
    const { table_schema: schema, table_name: table } = cols[0]!;
    const names = new Set(cols.map((c) => c.column_name.toLowerCase()));
    const personal = cols.filter((c) => personalKind(c.column_name, table) !== undefined);
    const rowKeys = ROW_KEYS.filter(([k]) => names.has(k));
    let where: string | undefined;
    let clear = personal;
    if (schema === 'core' && table === 'customer_attribute_lineage') {
      const attributes = await personalAttributes(wh);
      if (attributes.length === 0) continue;
      where = `customer_id IN (SELECT customer_id FROM erase_ids) AND attribute IN (${attributes.map((a) => `'${a}'`).join(', ')})`;
      clear = cols.filter((c) => c.column_name === 'value');
    } else if (rowKeys.length > 0 && personal.length > 0) {
      where = rowKeys.map(([k, sql]) => `${quoteIdent(k)} IN (${sql})`).join(' OR ');
    }
    if (where === undefined || clear.length === 0) continue;
    const target = qualified(schema, table);
    const dirty = clear.map((c) => `${quoteIdent(c.column_name)} IS NOT NULL`).join(' OR ');
    const n = Number(
      await wh.scalar(`SELECT count(*) FROM ${target} WHERE (${where}) AND (${dirty})`),
    );
    if (n === 0) continue;
    const sets = clear.map(
      (c) =>
        `${quoteIdent(c.column_name)} = ${c.is_nullable === 'YES' ? 'NULL' : emptyOf(c.data_type)}`,
    );
    await wh.run(`UPDATE ${target} SET ${sets.join(', ')} WHERE (${where}) AND (${dirty})`);
    counts[schema] = (counts[schema] ?? 0) + n;
  }
  return counts;
}

/** A value standing in for an erased one in a NOT NULL column. */
function emptyOf(type: string): string {
  if (type.endsWith('[]')) return '[]';
  if (type === 'VARCHAR') return "'[erased]'";
  return 'NULL';
}

async function personalAttributes(wh: Warehouse): Promise<string[]> {
  const rows = await wh.all<{ attribute: string }>(
    'SELECT DISTINCT attribute FROM core.customer_attribute_lineage',
  );
  return rows
    .map((r) => r.attribute)
    .filter((a) => personalKind(a) !== undefined && /^[a-z_]+$/.test(a));
}

/**
 * Free text that may quote the person (the raw text of rejected rows), the lookups facts were
 * resolved by (`meta.fact_inputs`), the identity model's kept term frequencies of values only
 * the person holds, and the party standardisation cache (a cache: entries are dropped and recomputed when needed). Runs before
 * eraseLayers, which clears the staging keys it matches cache entries by.
 */
export async function eraseMeta(wh: Warehouse): Promise<number> {
  let n = 0;
  const quotes = `EXISTS (SELECT 1 FROM erase_values v WHERE v.kind <> 'name' AND length(v.value) >= 6
                    AND contains(lower(r.raw), lower(v.value)))
               OR EXISTS (SELECT 1 FROM erase_values v WHERE v.kind = 'name' AND length(v.value) >= 5
                    AND contains(lower(r.raw), lower(v.value)))`;
  n += Number(await wh.scalar(`SELECT count(*) FROM meta.rejected_rows r WHERE ${quotes}`));
  await wh.run(`UPDATE meta.rejected_rows r SET raw = NULL WHERE ${quotes}`);
  if (await wh.tableExists('meta', 'fact_inputs')) {
    // the lookups facts were resolved by (an e-mail → its customer): the next profiles run
    // sees them gone and resolves the person's facts again without them
    const mine = 'customer_id IN (SELECT customer_id FROM erase_ids)';
    n += Number(await wh.scalar(`SELECT count(*) FROM meta.fact_inputs WHERE ${mine}`));
    await wh.run(`DELETE FROM meta.fact_inputs WHERE ${mine}`);
  }
  // the term frequencies kept with the identity model: the values only the person holds
  n += await forgetKeptTf(wh, 'SELECT party_uid FROM erase_parties');
  if (await wh.tableExists('meta', 'party_std_cache')) {
    const cached = `email.norm IN (SELECT lower(value) FROM erase_values WHERE kind = 'email')
      OR phone.e164 IN (SELECT value FROM erase_values WHERE kind = 'phone')
      OR mobile.e164 IN (SELECT value FROM erase_values WHERE kind = 'phone')
      OR EXISTS (SELECT 1 FROM staging.party_records p
           WHERE p.party_uid IN (SELECT party_uid FROM erase_parties)
             AND p.first_key = name.first_key AND p.last_key = name.last_key)`;
    n += Number(await wh.scalar(`SELECT count(*) FROM meta.party_std_cache WHERE ${cached}`));
    await wh.run(`DELETE FROM meta.party_std_cache WHERE ${cached}`);
  }
  return n;
}
