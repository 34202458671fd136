import {
  entityFields,
  fieldSpec,
  type EntityName,
  type FieldType,
} from '../../foundation/entities.ts';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import { safeDetail } from '../safe-detail.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import { TransformError } from '../transform-error.ts';
import { dateTyping, type DateTyping } from '../typing/date-formats.ts';
import { SQL_TYPE, typedSql, typeFamily, UNTYPABLE_REASON } from '../typing/field-typing.ts';
import { FIELD_RANGES, fieldRule } from './field-policy.ts';
import type { RawLayout } from './raw-layout.ts';
import { SPLIT_RAW_RID } from './split-lines.ts';

const PLAIN_COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Party mapping keys beyond the canonical fields: `attributes.<name>`. */
export const ATTRIBUTE_PREFIX = 'attributes.';
const SQL_WORDS = new Set(['null', 'true', 'false', 'current_date', 'current_timestamp', 'now']);

/** Where one table's typed rows are built: `staging._typed__<source>__<table>`. */
export function typedTableName(table: ResolvedTable): string {
  return `_typed__${table.rawTable}`;
}

export interface TypedTableOptions {
  readonly birthDateMinYear: number;
  /**
   * Restage only the keys that changed: SQL over a raw row, true for rows not staged yet.
   * Their record keys are added to `changedKeys` (source, source_table, rk, seen: a version
   * was staged before), and every raw
   * version of those keys is typed (so the latest still wins, whenever a row arrived).
   * Undefined: every raw row is typed.
   */
  readonly newRowsSql?: string;
  readonly changedKeys?: readonly [string, string];
  /**
   * Gets (raw table, record key, rowid) of the raw rows read as new tonight — every row on a
   * full restage — for `meta.transform_keys`, where the versions of a changed key are found.
   * Undefined (outside the step): nothing is noted, every raw row is typed.
   */
  readonly keyRows?: readonly [string, string];
  /**
   * Where the raw rows are read: `raw.<table>`, or the table a kind's lines were split into
   * (tonight's new lines only, each with its raw rowid in `__cdw_raw_rid`; see split-lines.ts).
   */
  readonly rows?: readonly [string, string];
}

/**
 * Builds the typed canonical table of one source table from its raw rows and mapping:
 * latest live version per key, every canonical field of the entity typed, `_issues` and
 * `_rejected` per row. Columns: `_rid` (rowid in raw), `_load_id`, `_loaded_at`, the entity's
 * fields, `_issues` LIST(STRUCT(field, reason, fatal)), `_rejected`.
 */
export async function buildTypedTable(
  wh: Warehouse,
  source: ResolvedSource,
  table: ResolvedTable,
  layout: RawLayout,
  opts: TypedTableOptions,
  warnings: string[] = [],
): Promise<string> {
  const where = `${source.name}.${table.name}`;
  const rowsFrom = opts.rows ?? (['raw', table.rawTable] as const);
  const inputs = mappedInputs(where, table, layout, warnings);
  const types = await inputTypes(wh, where, table.rawTable, rowsFrom, inputs);
  const dates = dateTyping(table.dateFormats);
  const fields = entityFields(table.entity);
  const sort = sortKeys(table, layout, inputs, types, dates);
  const typed: string[] = [];
  const finals: string[] = [];
  const issues: string[] = [];
  for (const f of fields) {
    const type = fieldSpec(table.entity, f)!.type;
    const inCol = quoteIdent(`in__${f}`);
    const tCol = quoteIdent(`t__${f}`);
    const inputSql = inputs.get(f);
    typed.push(
      inputSql === undefined
        ? `CAST(NULL AS ${SQL_TYPE[type]}) AS ${tCol}`
        : f === sort.parsedField
          ? `_s0 AS ${tCol}` // parsed once, as the sort key
          : `${typedSql(type, inCol, types.get(f)!, dates)} AS ${tCol}`,
    );
    const range = FIELD_RANGES[table.entity]?.[f];
    finals.push(
      range === undefined
        ? `${tCol} AS ${quoteIdent(f)}`
        : `CASE WHEN ${tCol} BETWEEN ${range.min} AND ${range.max} THEN ${tCol} END AS ${quoteIdent(f)}`,
    );
    issues.push(
      ...issueItems(table.entity, f, type, inputSql === undefined ? undefined : inCol, tCol),
    );
  }
  // party attributes (`attributes.<name>` in the mapping): text, kept as written
  for (const f of inputs.keys()) {
    if (!f.startsWith(ATTRIBUTE_PREFIX)) continue;
    finals.push(`nullif(trim(CAST(${quoteIdent(`in__${f}`)} AS VARCHAR)), '') AS ${quoteIdent(f)}`);
  }
  const keySql = inputs.get('record_key') ?? 'NULL';
  const rowFilter = await noteChangedKeys(wh, where, source, table, rowsFrom, keySql, opts);
  const sql = sqlFromFile(import.meta.url, 'typed-table.sql', {
    ident: { typed_table: ['staging', typedTableName(table)], raw_table: rowsFrom },
    sql: {
      key_sql: keySql,
      row_filter: rowFilter,
      tombstone_sql: layout.tombstoneSql,
      sort_columns: sort.keys.map((s, i) => `, ${s} AS _s${i}`).join(''),
      sort_order: sort.keys.map((_s, i) => `_s${i} DESC NULLS LAST, `).join(''),
      sort_carry: sort.parsedField === undefined ? '' : ', _s0',
      live_carry: sort.parsedField === undefined ? '' : ', l._s0 AS __cdw_s0',
      input_carry: sort.parsedField === undefined ? '' : ', live.__cdw_s0 AS _s0',
      input_columns: [...inputs]
        .map(([f, s]) => `${s} AS ${quoteIdent(`in__${f}`)}`)
        .join(',\n         '),
      typed_columns: [...inputs.keys()]
        .map((f) => quoteIdent(`in__${f}`))
        .concat(typed)
        .join(',\n         '),
      final_columns: finals.join(',\n         '),
      issue_items: issues.length === 0 ? 'NULL' : issues.join(',\n           '),
    },
  });
  try {
    await runNamed(wh.conn, sql, {
      tz: table.timezone,
      birth_date_min_year: opts.birthDateMinYear,
      ...dates.params,
    });
  } catch (err) {
    throw new TransformError(
      'transform_error',
      `transform ${where}: typing raw.${table.rawTable} failed: ${safeDetail(err)}`,
      { cause: err },
    );
  }
  return typedTableName(table);
}

/**
 * Notes the key and rowid of each new raw row (every row on a full restage) in `keyRows`
 * and, on an incremental night, the new rows' keys in `changedKeys`; returns the filter of the
 * raw rows to type: every version of those keys (their rowids from `meta.transform_keys`, the
 * keys of the rows staged before, and from the new rows), and new rows without a key
 * (rejected). So the keys of the rows staged before are not computed again.
 */
async function noteChangedKeys(
  wh: Warehouse,
  where: string,
  source: ResolvedSource,
  table: ResolvedTable,
  rowsFrom: readonly [string, string],
  keySql: string,
  opts: TypedTableOptions,
): Promise<string> {
  if (opts.keyRows === undefined) return 'true';
  const rk = `cdw_text(${keySql})`;
  // Split lines hold tonight's new lines only (all of them on a full restage), with their rowid in raw.
  const split = rowsFrom[0] !== 'raw' || rowsFrom[1] !== table.rawTable;
  const keyRows = qualified(...opts.keyRows);
  const incremental = opts.newRowsSql !== undefined && opts.changedKeys !== undefined;
  try {
    await wh.run(
      `INSERT INTO ${keyRows} SELECT $1, ${rk}, ${split ? SPLIT_RAW_RID : 'rowid'} FROM ${qualified(...rowsFrom)}
       WHERE ${incremental && !split ? opts.newRowsSql : 'true'}`,
      [table.rawTable],
    );
    if (!incremental) return 'true';
    // `seen`: a version of the key was staged before (so it may have a published row)
    await wh.run(
      `INSERT INTO ${qualified(...opts.changedKeys!)} (source, source_table, rk, seen)
       SELECT DISTINCT $1, $2, rk, rk IN (SELECT rk FROM meta.transform_keys WHERE raw_table = $3)
       FROM ${keyRows} WHERE raw_table = $3 AND rk IS NOT NULL`,
      [source.name, table.name, table.rawTable],
    );
  } catch (err) {
    throw new TransformError(
      'transform_error',
      `transform ${where}: finding the changed keys of raw.${table.rawTable} failed: ${safeDetail(err)}`,
      { cause: err },
    );
  }
  if (split) return 'true';
  const rawTable = quoteLiteral(table.rawTable);
  return `rowid IN (
    SELECT rid FROM meta.transform_keys
    WHERE raw_table = ${rawTable} AND rk IN (SELECT rk FROM ${keyRows} WHERE raw_table = ${rawTable})
    UNION ALL
    SELECT rid FROM ${keyRows} WHERE raw_table = ${rawTable})`;
}

/**
 * canonical field → SQL over the raw row (a quoted column, or the mapping's expression). A
 * column raw never had is an error — unless the table lets schema changes through
 * (`on_schema_change: warn | evolve`, "load without it"): then the field is NULL, with a warning.
 */
export function mappedInputs(
  where: string,
  table: ResolvedTable,
  layout: RawLayout,
  warnings: string[],
): Map<string, string> {
  const out = new Map<string, string>();
  const column = (field: string, name: string): string => {
    const col = layout.columns.get(name.toLowerCase());
    if (col !== undefined) return quoteIdent(col.name);
    if (SQL_WORDS.has(name.toLowerCase())) return name;
    const known = [...layout.columns.values()].map((c) => c.name).join(', ');
    if (table.onSchemaChange !== 'fail' && field !== 'record_key') {
      warnings.push(
        `mapping ${field} → column "${name}" is not in raw.${table.rawTable}; ${field} is NULL (on_schema_change: ${table.onSchemaChange})`,
      );
      return 'NULL';
    }
    throw new TransformError(
      'transform_error',
      `transform ${where}: mapping ${field} → column "${name}" is not in raw.${table.rawTable} (columns: ${known})`,
    );
  };
  for (const [field, value] of Object.entries(table.mapping)) {
    out.set(field, PLAIN_COLUMN.test(value) ? column(field, value) : `(${value})`);
  }
  if (!out.has('record_key') && table.primaryKey.length > 0) {
    const parts = table.primaryKey.map((c) => `cdw_text(${column('record_key', c)})`);
    out.set(
      'record_key',
      parts.length === 1
        ? parts[0]!
        : `CASE WHEN ${parts.map((p) => `${p} IS NULL`).join(' OR ')} THEN NULL ELSE concat_ws('|', ${parts.join(', ')}) END`,
    );
  }
  return out;
}

/** DuckDB type of each mapped input, which also proves every mapping expression binds. */
async function inputTypes(
  wh: Warehouse,
  where: string,
  rawTable: string,
  rowsFrom: readonly [string, string],
  inputs: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  if (inputs.size === 0) return new Map();
  const select = [...inputs].map(([f, s]) => `${s} AS ${quoteIdent(f)}`).join(', ');
  try {
    const rows = await wh.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT ${select} FROM ${qualified(...rowsFrom)}`,
    );
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (err) {
    throw new TransformError(
      'transform_error',
      `transform ${where}: a mapping expression does not work on raw.${rawTable}: ${safeDetail(err)}`,
      { cause: err },
    );
  }
}

/**
 * Newest first: the cursor (typed when it is a mapped timestamp), then load order in the
 * template. `parsedField`: the timestamp field whose typed value is the first sort key.
 */
function sortKeys(
  table: ResolvedTable,
  layout: RawLayout,
  inputs: ReadonlyMap<string, string>,
  types: ReadonlyMap<string, string>,
  dates: DateTyping,
): { keys: string[]; parsedField?: string } {
  if (table.cursor === undefined) return { keys: [] };
  const col = layout.columns.get(table.cursor.column.toLowerCase());
  if (col === undefined) return { keys: [] };
  const ref = quoteIdent(col.name);
  if (typeFamily(col.type) !== 'text') return { keys: [ref] };
  const asTime = Object.entries(table.mapping).find(
    ([f, v]) => v === table.cursor!.column && fieldSpec(table.entity, f)?.type === 'timestamp',
  );
  if (asTime !== undefined)
    return {
      keys: [
        typedSql('timestamp', inputs.get(asTime[0])!, types.get(asTime[0])!, dates),
        `TRY_CAST(${ref} AS DOUBLE)`,
        ref,
      ],
      parsedField: asTime[0],
    };
  return { keys: [`TRY_CAST(${ref} AS DOUBLE)`, ref] };
}

function issueItems(
  entity: EntityName,
  field: string,
  type: FieldType,
  inCol: string | undefined,
  tCol: string,
): string[] {
  const rule = fieldRule(entity, field);
  const item = (reason: string, fatal: boolean) =>
    `{'field': ${quoteLiteral(field)}, 'reason': ${quoteLiteral(reason)}, 'fatal': ${fatal ? 'true' : 'false'}}`;
  const out: string[] = [];
  if (rule === 'required') {
    out.push(
      inCol === undefined
        ? item('missing (not mapped)', true)
        : `CASE WHEN cdw_text(${inCol}) IS NULL THEN ${item('missing', true)} END`,
    );
  }
  if (inCol !== undefined && type !== 'text') {
    out.push(
      `CASE WHEN cdw_text(${inCol}) IS NOT NULL AND ${tCol} IS NULL THEN ${item(UNTYPABLE_REASON[type], rule !== undefined)} END`,
    );
  }
  const range = FIELD_RANGES[entity]?.[field];
  if (range !== undefined)
    out.push(
      `CASE WHEN NOT (${tCol} BETWEEN ${range.min} AND ${range.max}) THEN ${item(range.reason, false)} END`,
    );
  return out;
}
