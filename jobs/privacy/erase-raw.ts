import type { CdwConfig, ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { isPersonalField } from '../../foundation/personal-data.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { readRawLayout, type RawLayout } from '../../transforms/staging/raw-layout.ts';
import { mappedInputs } from '../../transforms/staging/typed-table.ts';

/** Fields whose source columns stay in an erased raw row: they only say which record it is. */
const KEY_FIELDS = new Set(['record_key', 'party_key', 'party_table', 'external_ref_source']);

/** One configured table with a landed raw table: how to find its rows and what to clear. */
export interface RawTarget {
  readonly source: ResolvedSource;
  readonly table: ResolvedTable;
  /** SQL of the record key over a raw row (as the transform computes it) */
  readonly keySql: string;
  /** SQL over a raw row per canonical field, for identifier hashes on arrival */
  readonly fieldSql: ReadonlyMap<string, string>;
  /** raw columns an erasure sets to NULL */
  readonly clear: readonly string[];
}

/**
 * The raw tables of the configured sources. A raw row of the person keeps its load columns
 * (`_load_id`, `_row_hash`, …), its key columns, and the columns that feed only non-personal
 * fields (amounts, dates, products); every other column is cleared — a column no mapping reads
 * may hold anything.
 */
export async function rawTargets(wh: Warehouse, config: CdwConfig): Promise<RawTarget[]> {
  const out: RawTarget[] = [];
  for (const source of config.sources) {
    for (const table of source.tables) {
      const layout = await readRawLayout(wh, table.rawTable);
      if (layout === undefined) continue;
      let inputs: Map<string, string>;
      try {
        inputs = mappedInputs(`${source.name}.${table.name}`, table, layout, []);
      } catch {
        continue; // the transform reports a mapping that does not fit raw; nothing was staged from it
      }
      const keySql = inputs.get('record_key');
      if (keySql === undefined) continue;
      out.push({
        source,
        table,
        keySql,
        fieldSql: inputs,
        clear: columnsToClear(table, layout, inputs),
      });
    }
  }
  return out;
}

function columnsToClear(
  table: ResolvedTable,
  layout: RawLayout,
  inputs: ReadonlyMap<string, string>,
): string[] {
  const keys = new Set<string>();
  const personal = new Set<string>();
  const plain = new Set<string>();
  for (const [field, sql] of inputs) {
    for (const c of layout.columns.values()) {
      if (!references(sql, c.name)) continue;
      if (KEY_FIELDS.has(field)) keys.add(c.name);
      else if (field.startsWith('attributes.') || isPersonalField(table.entity, field))
        personal.add(c.name);
      else plain.add(c.name);
    }
  }
  return [...layout.columns.values()]
    .map((c) => c.name)
    .filter((c) => !c.startsWith('_') && !keys.has(c) && (personal.has(c) || !plain.has(c)));
}

/** Whether an SQL fragment over a raw row reads column `name` (quoted, or as a bare word). */
function references(sql: string, name: string): boolean {
  if (sql.includes(quoteIdent(name))) return true;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_"])${escaped}($|[^A-Za-z0-9_"])`, 'i').test(sql);
}

/**
 * Clears the personal columns of the raw rows of `target` that `where` selects (SQL over a raw
 * row; `key` stands for the record key). Returns the rows changed. Idempotent.
 */
export async function eraseRawRows(
  wh: Warehouse,
  target: RawTarget,
  where: string,
  params: readonly (string | number)[] = [],
): Promise<number> {
  if (target.clear.length === 0) return 0;
  const raw = qualified('raw', target.table.rawTable);
  const dirty = target.clear.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' OR ');
  const cond = `(${where.replaceAll('{{key}}', `(${target.keySql})`)}) AND (${dirty})`;
  const n = Number(await wh.scalar(`SELECT count(*) FROM ${raw} WHERE ${cond}`, params));
  if (n > 0)
    await wh.run(
      `UPDATE ${raw} SET ${target.clear.map((c) => `${quoteIdent(c)} = NULL`).join(', ')} WHERE ${cond}`,
      params,
    );
  return n;
}

/** The person's raw rows, by the source records found for them (temp table erase_records). */
export async function erasePersonRaw(
  wh: Warehouse,
  targets: readonly RawTarget[],
): Promise<number> {
  let n = 0;
  for (const t of targets) {
    n += await eraseRawRows(
      wh,
      t,
      `{{key}} IN (SELECT record_key FROM erase_records WHERE source = $1 AND source_table = $2)`,
      [t.source.name, t.table.name],
    );
  }
  return n;
}
