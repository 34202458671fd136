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
 * describes (a rebuilt table loses its comments: this runs after every build). Returns what has
 * no description, for the test that keeps the file complete.
 */
export async function commentMarts(wh: Warehouse): Promise<string[]> {
  const d = martDescriptions();
  const cols = await wh.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'marts'
       AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' AND database_name = current_database())
     ORDER BY table_name, column_index`,
  );
  const missing: string[] = [];
  const statements: string[] = [];
  for (const table of [...new Set(cols.map((c) => c.table_name))]) {
    const t = d.tables[table];
    if (t?.description)
      statements.push(
        `COMMENT ON TABLE ${qualified('marts', table)} IS ${quoteLiteral(t.description)}`,
      );
    else missing.push(table);
    for (const c of cols.filter((x) => x.table_name === table)) {
      const text = t?.columns?.[c.column_name] ?? d.columns[c.column_name];
      if (text)
        statements.push(
          `COMMENT ON COLUMN ${qualified('marts', table)}.${quoteIdent(c.column_name)} IS ${quoteLiteral(text)}`,
        );
      else missing.push(`${table}.${c.column_name}`);
    }
  }
  if (statements.length > 0) await wh.run(statements.join(';\n'));
  return missing;
}
