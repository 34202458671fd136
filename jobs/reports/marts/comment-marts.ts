import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Warehouse } from '../../../foundation/duckdb-client.ts';
import { qualified, quoteIdent, quoteLiteral } from '../../../foundation/sql.ts';

interface Descriptions {
  readonly columns: Readonly<Record<string, string>>;
  readonly tables: Readonly<
    Record<string, { description: string; columns?: Readonly<Record<string, string>> }>
  >;
}

/** The descriptions of every mart table and column (descriptions.yaml beside this file). */
export function martDescriptions(): Descriptions {
  return parse(
    readFileSync(new URL('./descriptions.yaml', import.meta.url), 'utf8'),
  ) as Descriptions;
}

/**
 * Writes COMMENT ON every table and column of the `marts` schema that descriptions.yaml
 * describes and that does not carry that text already (a rebuilt table loses its comments: this
 * runs after every build; a table kept as it was keeps them, and each COMMENT alters the
 * catalog, so a quiet night writes none). Returns what has no description, for the test that
 * keeps the file complete.
 */
export async function commentMarts(wh: Warehouse): Promise<string[]> {
  const d = martDescriptions();
  const cols = await wh.all<{
    table_name: string;
    column_name: string;
    comment: string | null;
    table_comment: string | null;
  }>(
    `SELECT c.table_name, c.column_name, c.comment, t.comment AS table_comment
     FROM duckdb_columns() c
     JOIN duckdb_tables() t
       ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name
     WHERE c.database_name = current_database() AND c.schema_name = 'marts'
     ORDER BY c.table_name, c.column_index`,
  );
  const missing: string[] = [];
  const statements: string[] = [];
  for (const table of [...new Set(cols.map((c) => c.table_name))]) {
    const t = d.tables[table];
    const columns = cols.filter((x) => x.table_name === table);
    if (t?.description) {
      if (columns[0]?.table_comment !== t.description)
        statements.push(
          `COMMENT ON TABLE ${qualified('marts', table)} IS ${quoteLiteral(t.description)}`,
        );
    } else missing.push(table);
    for (const c of columns) {
      const text = t?.columns?.[c.column_name] ?? d.columns[c.column_name];
      if (text && c.comment !== text)
        statements.push(
          `COMMENT ON COLUMN ${qualified('marts', table)}.${quoteIdent(c.column_name)} IS ${quoteLiteral(text)}`,
        );
      else if (!text) missing.push(`${table}.${c.column_name}`);
    }
  }
  if (statements.length > 0) await wh.run(statements.join(';\n'));
  return missing;
}
