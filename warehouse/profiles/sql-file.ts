import { sqlFromFile } from '../../foundation/sql-template.ts';

/**
 * Reads `warehouse/profiles/sql/<name>.sql`. `{{hole}}`s are filled with SQL fragments that code
 * built from the attribute list (column lists, hash expressions) — never with row values, which
 * go in as parameters or through the `profiles_ctx` temp table.
 */
export function profilesSql(name: string, holes: Readonly<Record<string, string>> = {}): string {
  return sqlFromFile(import.meta.url, `./sql/${name}.sql`, { sql: holes });
}
