import type { ResultSet } from './output-format.ts';

/** A query the shell runs for a backslash command. */
export interface MetaQuery {
  readonly sql: string;
  readonly params: readonly string[];
  readonly title?: string;
}

const RELATIONS = `
  SELECT schema_name AS schema, table_name AS name, 'table' AS type, estimated_size AS rows, comment
  FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal
  UNION ALL
  SELECT schema_name, view_name, 'view', NULL, comment FROM duckdb_views() WHERE database_name = current_database() AND NOT internal`;

/**
 * The SQL behind `\d`, `\dt`, `\dv` and `\d name` (name may be schema.table). Undefined when
 * the command is not one of these.
 */
export function metaQuery(command: string): MetaQuery | undefined {
  const [cmd, arg] = command.trim().split(/\s+/, 2);
  if ((cmd === '\\d' || cmd === '\\d+') && arg) {
    const [a, b] = arg.replaceAll('"', '').split('.');
    const schema = b === undefined ? null : a!;
    const name = b ?? a!;
    return {
      title: arg,
      sql: `SELECT c.column_name AS column, c.data_type AS type, CASE WHEN c.is_nullable THEN '' ELSE 'not null' END AS nullable,
                   c.column_default AS "default", c.comment
            FROM duckdb_columns() c
            WHERE c.database_name = current_database() AND lower(c.table_name) = lower($1) AND ($2 = '' OR lower(c.schema_name) = lower($2))
            ORDER BY c.schema_name = 'public' DESC, c.schema_name, c.column_index`,
      params: [name, schema ?? ''],
    };
  }
  if (cmd === '\\dn')
    return {
      sql: `SELECT schema_name AS schema, comment FROM duckdb_schemas()
            WHERE database_name = current_database() AND NOT internal ORDER BY schema_name`,
      params: [],
    };
  const filter: Record<string, string> = {
    '\\d': '',
    '\\dt': "WHERE type = 'table'",
    '\\dv': "WHERE type = 'view'",
  };
  const where = filter[cmd ?? ''];
  if (where === undefined) return undefined;
  return { sql: `SELECT * FROM (${RELATIONS}) ${where} ORDER BY schema, name`, params: [] };
}

export const HELP: ResultSet = {
  columns: ['command', 'does'],
  rows: [
    ['\\d', 'list tables and views'],
    ['\\dt', 'list tables'],
    ['\\dv', 'list views'],
    ['\\d NAME', 'describe a table or view (NAME or schema.NAME)'],
    ['\\dn', 'list schemas'],
    ['\\x', 'expanded display on/off: one block per row'],
    ['\\pager', 'pager on/off for results longer than the screen ($PAGER, else less)'],
    ['\\timing', 'show how long each statement took'],
    ['\\q', 'quit (Ctrl-C cancels a running query, or clears the statement being typed)'],
  ],
};
