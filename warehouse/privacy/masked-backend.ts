import type { ShellBackend } from '../shell/backend.ts';
import { WarehouseAccessError } from '../errors.ts';
import { MASKED_SCHEMAS, maskedSchema } from './masked-views.ts';

type Json = Record<string, unknown>;
const isNode = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a server user sees: role and whether personal columns are shown in full. */
export interface ViewerRights {
  readonly name: string;
  readonly analyst: boolean;
  readonly pii: boolean;
}

/** The role and `pii` grant of a server user, read through the shell's backend. */
export async function viewerRights(backend: ShellBackend, name: string): Promise<ViewerRights> {
  const r = await backend.query(
    `SELECT u.role, EXISTS (SELECT 1 FROM meta.user_grants g WHERE g.name = u.name AND g.grant_name = 'pii') AS pii
     FROM meta.users u WHERE u.name = $1`,
    [name],
  );
  const row = r?.rows[0];
  if (row === undefined)
    throw new WarehouseAccessError('invalid_user', `no server user ${name} (see "cdw user list")`);
  return { name, analyst: row[0] !== 'admin', pii: row[1] === true };
}

/**
 * The shell as a server user would see the warehouse over the wire (`cdw sql --as NAME`): an
 * analyst runs SELECTs only, on `public` and `marts`, and — without the `pii` grant — reads the
 * masked views (personal columns masked) in place of every relation of those schemas. The
 * statement is rewritten on DuckDB's own parse tree, as the server does.
 */
export async function maskedBackend(inner: ShellBackend, who: ViewerRights): Promise<ShellBackend> {
  if (!who.analyst) return inner;
  const rels = await inner.query(
    `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()
     UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal`,
  );
  const known = new Set(
    (rels?.rows ?? []).map((r) => `${String(r[0])}.${String(r[1]).toLowerCase()}`),
  );
  const catalog = {
    relationExists: (s: string, t: string) => known.has(`${s}.${t.toLowerCase()}`),
  };
  const allowed = new Set(['', ...Object.keys(MASKED_SCHEMAS)]);
  const deny = (what: string) =>
    new WarehouseAccessError(
      'access_denied',
      `permission denied for ${who.name} (analyst): ${what}; the analyst role reads the public and marts schemas only`,
    );

  const rewrite = (tree: unknown, ctes: Set<string>): unknown => {
    if (Array.isArray(tree)) return tree.map((x) => rewrite(x, ctes));
    if (!isNode(tree)) return tree;
    const cteMap = isNode(tree.cte_map) ? tree.cte_map.map : undefined;
    if (Array.isArray(cteMap))
      for (const e of cteMap)
        if (isNode(e) && typeof e.key === 'string') ctes.add(e.key.toLowerCase());
    if (tree.type === 'TABLE_FUNCTION') throw deny('table functions are not allowed');
    if (tree.type === 'BASE_TABLE' && typeof tree.table_name === 'string') {
      const schema = String(tree.schema_name ?? '').toLowerCase();
      const table = tree.table_name.toLowerCase();
      if (String(tree.catalog_name ?? '') !== '' || !allowed.has(schema))
        throw deny(`relation ${schema}.${table}`);
      if (schema === '' && ctes.has(table)) return tree;
      if (who.pii) return tree;
      const masked = maskedSchema(schema, table, ['public', 'marts'], catalog);
      return masked === undefined ? tree : { ...tree, schema_name: masked };
    }
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, rewrite(v, ctes)]));
  };

  return {
    async query(sql, params, signal) {
      const parsed = await inner.query('SELECT CAST(json_serialize_sql($1::VARCHAR) AS VARCHAR)', [
        sql,
      ]);
      const tree = JSON.parse(String(parsed?.rows[0]?.[0] ?? '{}')) as Json;
      if (tree.error === true) {
        const msg = String(tree.error_message ?? '');
        if (/Only SELECT statements can be serialized/i.test(msg)) throw deny('only SELECT');
        return inner.query(sql, params, signal); // DuckDB's own message for a syntax error
      }
      const out = await inner.query('SELECT json_deserialize_sql($1::VARCHAR)', [
        JSON.stringify(rewrite(tree, new Set())),
      ]);
      return inner.query(String(out?.rows[0]?.[0] ?? sql), params, signal);
    },
  };
}
