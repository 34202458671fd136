import type { Queryable } from '../../foundation/duckdb-client.ts';
import { personalKind } from '../../foundation/personal-data.ts';
import type { PersonalKind } from '../../foundation/entities.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { readSql } from '../../foundation/sql-template.ts';

/** Each schema analysts read, and the schema of its masked views. */
export const MASKED_SCHEMAS: Readonly<Record<string, string>> = {
  public: 'masked_public',
  marts: 'masked_marts',
};

/** The macro that masks a text value of each kind (mask-macros.sql). */
const TEXT_MASK: Readonly<Record<PersonalKind, string>> = {
  email: 'cdw_mask.mask_email',
  phone: 'cdw_mask.mask_phone',
  name: 'cdw_mask.mask_name',
  address: 'cdw_mask.mask_text',
  id: 'cdw_mask.mask_text',
  date: 'cdw_mask.mask_text',
};

interface Col {
  readonly s: string;
  readonly t: string;
  readonly c: string;
  readonly type: string;
}

function maskExpr(col: Col, kind: PersonalKind): string {
  const c = quoteIdent(col.c);
  if (col.type === 'VARCHAR') return `${TEXT_MASK[kind]}(${c})`;
  if (col.type === 'VARCHAR[]') return `list_transform(${c}, v -> ${TEXT_MASK[kind]}(v))`;
  // a date of birth, a JSON of names, a number derived from a personal value: nothing of it
  return `CAST(NULL AS ${col.type})`;
}

/**
 * (Re)builds the masked views: for every table and view of `public` and `marts`, a view of the
 * same name in `masked_public` / `masked_marts` with each personal column
 * (foundation/personal-data.ts) masked — `j***@example.com`, `+7 *** *** 06 32`, `M*** S***`,
 * `***`; dates and other types NULL — and every other column as it is, so counts, sums and joins
 * on customer ids give the same answers. The server reads these for analysts without the `pii`
 * grant. One transaction: readers never see the schemas half built.
 */
export async function refreshMaskedViews(wh: Queryable): Promise<number> {
  const cols = (await wh.all(
    `SELECT schema_name AS s, table_name AS t, column_name AS c, data_type AS type
     FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal
       AND schema_name IN (${Object.keys(MASKED_SCHEMAS)
         .map((s) => `'${s}'`)
         .join(', ')})
     ORDER BY schema_name, table_name, column_index`,
  )) as unknown as Col[];
  const relations = new Map<string, Col[]>();
  for (const col of cols) {
    const key = `${col.s}\u0000${col.t}`;
    relations.set(key, [...(relations.get(key) ?? []), col]);
  }
  await wh.run('BEGIN TRANSACTION');
  try {
    for (const masked of Object.values(MASKED_SCHEMAS)) {
      await wh.run(`DROP SCHEMA IF EXISTS ${quoteIdent(masked)} CASCADE`);
      await wh.run(`CREATE SCHEMA ${quoteIdent(masked)}`);
    }
    await wh.run('CREATE SCHEMA IF NOT EXISTS cdw_mask');
    await wh.run(readSql(import.meta.url, 'mask-macros.sql'));
    for (const rel of relations.values()) {
      const { s, t } = rel[0]!;
      const masks = rel.flatMap((col) => {
        const kind = personalKind(col.c, col.t);
        return kind === undefined ? [] : [`${maskExpr(col, kind)} AS ${quoteIdent(col.c)}`];
      });
      const select = masks.length === 0 ? '*' : `* REPLACE (${masks.join(', ')})`;
      await wh.run(
        `CREATE VIEW ${qualified(MASKED_SCHEMAS[s]!, t)} AS SELECT ${select} FROM ${qualified(s, t)}`,
      );
    }
    await wh.run('COMMIT');
  } catch (err) {
    await wh.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return relations.size;
}

/**
 * Where a session that sees personal data masked reads `schema.table` ('' when unqualified,
 * resolved along the search path): the masked schema, or undefined for a relation outside
 * `public` and `marts`. A qualified relation of those schemas always goes to the masked schema,
 * so one without a masked view fails rather than shows personal data.
 */
export function maskedSchema(
  schema: string,
  table: string,
  searchPath: readonly string[],
  catalog: { relationExists(schema: string, name: string): boolean },
): string | undefined {
  if (schema !== '') return MASKED_SCHEMAS[schema];
  for (const s of searchPath) {
    const m = MASKED_SCHEMAS[s];
    if (m !== undefined && catalog.relationExists(m, table)) return m;
    if (catalog.relationExists(s, table)) return m;
  }
  return undefined;
}
