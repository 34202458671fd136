import type { ShimCatalog } from '../catalog/install-catalog.ts';
import { VECTOR_COLUMNS } from '../pg-types.ts';
import { SHIM_DB } from '../catalog/install-catalog.ts';
import {
  cast,
  castTypeName,
  constant,
  func,
  isNode,
  not,
  str,
  stringList,
  tableFunction,
  type AstNode,
} from './ast.ts';
import { typeUnknownOperand } from './unknown-params.ts';

/** What the rewriter needs to know about the session. */
export interface RewriteContext {
  readonly shim: ShimCatalog;
  /** DuckDB schemas the session may see; null for all (admin). */
  readonly visible: readonly string[] | null;
  readonly database: string;
  readonly user: string;
  readonly admin: boolean;
  /** The search path as the client sees it (PostgreSQL schema names). */
  readonly searchPath: readonly string[];
  readonly pid: number;
  readonly serverVersion: string;
  readonly setting: (name: string) => string | undefined;
  /** Every session setting as [name, value]. */
  readonly settings: () => readonly (readonly [string, string])[];
  /** Declared parameter types (Parse), by position; 0 = unspecified. */
  readonly paramTypes: readonly number[];
  /** Relations that exist in DuckDB's `main` but not in `public` (shown as public). */
  readonly mainOnly: ReadonlySet<string>;
  /** The statement used a PostgreSQL regex operator (~, !~): DuckDB's full match becomes a search. */
  readonly pgRegex: boolean;
  /**
   * For a session that sees personal columns masked: the schema of the masked view to read
   * instead of relation `table` of `schema` ('' when unqualified), or undefined to read it as is.
   */
  readonly masked?: (schema: string, table: string) => string | undefined;
}

/** A relation a statement reads, after rewriting (shim relations excluded). */
export interface TableRef {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
}

export interface Rewritten {
  readonly root: AstNode;
  readonly changed: boolean;
  readonly tables: readonly TableRef[];
  readonly tableFunctions: readonly TableRef[];
  /** Functions and macros as the client named them (scalar and table), before rewriting. */
  readonly functions: readonly TableRef[];
  readonly refTypes: ReadonlySet<string>;
  readonly cteNames: ReadonlySet<string>;
  /** `set_config(name, value, …)` calls with constant arguments, applied by the session. */
  readonly settings: readonly [string, string][];
}

/** DuckDB type ids for declared parameter types the client bound as text. */
const PARAM_CAST: Record<number, string> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  25: 'VARCHAR',
  1043: 'VARCHAR',
  700: 'FLOAT',
  701: 'DOUBLE',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP WITH TIME ZONE',
  2950: 'UUID',
};

/** LIKE operators as DuckDB names them, and the function that takes an escape character. */
const LIKE_WITH_BACKSLASH: Record<string, string> = {
  '~~': 'like_escape',
  '!~~': 'not_like_escape',
  '~~*': 'ilike_escape',
  '!~~*': 'not_ilike_escape',
};

/** Table functions returning one column, which PostgreSQL names after the alias. */
const SCALAR_TABLE_FUNCTIONS = new Set([
  'generate_series',
  'unnest',
  'range',
  'generate_subscripts',
]);

/** Scalar functions clients call in FROM (Grafana's table picker: `string_to_array(…) s`). */
const SCALAR_IN_FROM = new Set([
  'string_to_array',
  'regexp_split_to_array',
  'current_schemas',
  'array_remove',
]);

/** Cast targets DuckDB does not know, read as text. */
const TEXT_TYPES = new Set([
  'name',
  '"char"',
  'char',
  'pg_node_tree',
  'aclitem',
  'int2vector',
  'oidvector',
  'xid',
  'cid',
  'tid',
  'regoper',
  'regoperator',
  'regconfig',
  'regdictionary',
  'cstring',
  'anyarray',
  'regrole',
  'regprocedure',
]);

/** Functions answered from the session itself. */
function sessionFunction(
  name: string,
  args: unknown[],
  ctx: RewriteContext,
  settings: [string, string][],
): AstNode | undefined {
  const str = (v: unknown) =>
    isNode(v) && v.class === 'CONSTANT' && isNode(v.value) && typeof v.value.value === 'string'
      ? v.value.value
      : undefined;
  switch (name) {
    case 'current_user':
    case 'session_user':
    case 'user':
    case 'current_role':
      return constant(ctx.user);
    case 'current_database':
    case 'current_catalog':
      return constant(ctx.database);
    case 'current_schema':
      return constant(ctx.searchPath[0] ?? 'public');
    case 'current_schemas': {
      const implicit = isNode(args[0]) && isNode(args[0].value) && args[0].value.value === true;
      return stringList(implicit ? ['pg_catalog', ...ctx.searchPath] : ctx.searchPath);
    }
    case 'version':
      return constant(
        `PostgreSQL ${ctx.serverVersion} (cdw, DuckDB) on x86_64-pc-linux-gnu, compiled by cdw, 64-bit`,
      );
    case 'pg_backend_pid':
      return constant(ctx.pid);
    case 'current_setting': {
      const key = str(args[0]);
      if (key !== undefined) return constant(ctx.setting(key.toLowerCase()) ?? null);
      // A computed name is looked up among the session's settings, never DuckDB's own.
      if (args[0] === undefined) return undefined;
      const all = ctx.settings();
      return func(
        'cdw_current_setting',
        [
          args[0] as AstNode,
          stringList(all.map((e) => e[0].toLowerCase())),
          stringList(all.map((e) => e[1])),
        ],
        { catalog: SHIM_DB, schema: 'pg' },
      );
    }
    case 'set_config': {
      const key = str(args[0]);
      const value = str(args[1]);
      if (key === undefined || value === undefined) return undefined;
      settings.push([key.toLowerCase(), value]);
      return constant(value);
    }
    default:
      return undefined;
  }
}

/** Extra arguments some emulated functions take from the session. */
function contextArgs(name: string, ctx: RewriteContext): AstNode[] {
  const vis = ctx.visible === null ? constant(null) : stringList(ctx.visible);
  switch (name) {
    case 'pg_table_is_visible':
    case 'pg_type_is_visible':
      return [stringList(ctx.searchPath)];
    case 'pg_get_function_result':
    case 'pg_get_function_arguments':
    case 'pg_get_function_identity_arguments':
    case 'pg_get_viewdef':
    case 'format_type':
    case 'cdw_regtype_name':
    case 'obj_description':
    case 'col_description':
    case 'to_regclass':
    case 'cdw_regclass':
    case 'cdw_regclass_name':
    case 'cdw_regnamespace':
    case 'cdw_regnamespace_name':
      return [vis];
    default:
      return [];
  }
}

/**
 * Rewrites one serialized SELECT so DuckDB answers it as PostgreSQL would: catalog relations
 * and functions go to the emulated catalog, PostgreSQL-only casts and operators become
 * functions, session functions become constants, and unnamed output columns get
 * PostgreSQL's names. Also collects what the statement reads, for the access policy.
 */
export function rewriteSelect(root: AstNode, ctx: RewriteContext): Rewritten {
  let changed = false;
  const tables: TableRef[] = [];
  const tableFunctions: TableRef[] = [];
  const functions: TableRef[] = [];
  const refTypes = new Set<string>();
  const cteNames = new Set<string>();
  const settings: [string, string][] = [];
  const vis = (): AstNode => (ctx.visible === null ? constant(null) : stringList(ctx.visible));
  const shimArgs = (): AstNode[] => [
    vis(),
    constant(ctx.database),
    constant(ctx.user),
    constant(ctx.admin),
  ];
  const shimFn = (name: string, children: AstNode[]): AstNode => {
    changed = true;
    return func(name, [...children, ...contextArgs(name, ctx)], { catalog: SHIM_DB, schema: 'pg' });
  };

  // Replacements keep the alias the client gave the expression or table.
  const visit = (v: unknown): unknown => {
    const out = visitInner(v);
    if (
      isNode(v) &&
      isNode(out) &&
      out !== v &&
      typeof v.alias === 'string' &&
      v.alias !== '' &&
      out.alias === ''
    )
      out.alias = v.alias;
    return out;
  };
  const visitInner = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!isNode(v)) return v;
    const node = v;

    if (isNode(node.cte_map) && Array.isArray(node.cte_map.map)) {
      for (const e of node.cte_map.map)
        if (isNode(e) && typeof e.key === 'string') cteNames.add(e.key.toLowerCase());
    }

    // A set-returning generate_series in the select list gives rows in PostgreSQL (psqlODBC's
    // SQLForeignKeys: `generate_series(array_lower(conkey, 1), …) as i`); in DuckDB it gives one
    // list, so it is unnested.
    if (node.type === 'SELECT_NODE' && Array.isArray(node.select_list)) {
      const list = node.select_list as unknown[];
      if (list.some(isSetReturningItem)) {
        changed = true;
        return visitInner({
          ...node,
          select_list: list.map((item) =>
            isSetReturningItem(item) ? { ...func('unnest', [item]), alias: item.alias } : item,
          ),
        });
      }
    }

    // Table references.
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      const schema = str(node.schema_name).toLowerCase();
      const catalog = str(node.catalog_name);
      const table = node.table_name;
      const lower = table.toLowerCase();
      const alias = str(node.alias) || table;
      if (
        catalog === '' &&
        (schema === 'pg_catalog' || (schema === '' && lower.startsWith('pg_'))) &&
        ctx.shim.pgTables.has(lower)
      ) {
        changed = true;
        if (lower === 'pg_settings') {
          // The session's own settings (pgjdbc reads max_index_keys here), never DuckDB's.
          const all = ctx.settings();
          const args = [stringList(all.map((e) => e[0])), stringList(all.map((e) => e[1]))];
          return tableFunction(SHIM_DB, 'pg', lower, args, alias, node.column_name_alias);
        }
        return tableFunction(SHIM_DB, 'pg', lower, shimArgs(), alias, node.column_name_alias);
      }
      if (catalog === '' && schema === 'information_schema' && ctx.shim.infoTables.has(lower)) {
        changed = true;
        return tableFunction(SHIM_DB, 'info', lower, shimArgs(), alias, node.column_name_alias);
      }
      let outSchema = str(node.schema_name);
      if (catalog === '' && schema === 'public' && ctx.mainOnly.has(lower)) {
        changed = true;
        outSchema = 'main';
      }
      tables.push({ catalog, schema: outSchema.toLowerCase(), table });
      refTypes.add('BASE_TABLE');
      // the access policy checks the relation named; the masked view of it is what runs
      const masked =
        catalog === '' && !(schema === '' && cteNames.has(lower))
          ? ctx.masked?.(outSchema.toLowerCase(), lower)
          : undefined;
      if (masked !== undefined) {
        changed = true;
        return { ...node, schema_name: masked };
      }
      return outSchema === node.schema_name ? node : { ...node, schema_name: outSchema };
    }
    if (node.type === 'TABLE_FUNCTION' && isNode(node.function)) {
      refTypes.add('TABLE_FUNCTION');
      const f = node.function;
      const name = str(f.function_name).toLowerCase();
      const schema = str(f.schema).toLowerCase();
      if ((schema === '' || schema === 'pg_catalog') && name === 'pg_partition_ancestors') {
        changed = true;
        return {
          ...node,
          function: func(
            'pg_partition_ancestors_t',
            (f.children as AstNode[]).map((c) => visit(c) as AstNode),
            { catalog: SHIM_DB, schema: 'pg' },
          ),
        };
      }
      if ((schema === '' || schema === 'pg_catalog') && SCALAR_IN_FROM.has(name)) {
        // A scalar function in FROM is one row whose one column is named after the alias;
        // DuckDB reads only table functions there: unnest a one-element list instead.
        changed = true;
        const alias = typeof node.alias === 'string' && node.alias !== '' ? node.alias : name;
        const inner = visit({ ...f, schema: '' }) as AstNode;
        tableFunctions.push({ catalog: '', schema: '', table: 'unnest' });
        return {
          ...node,
          alias,
          column_name_alias: [alias],
          function: func('unnest', [func('list_value', [inner])]),
        };
      }
      const fn = visit(f) as AstNode;
      // PostgreSQL names the single column of a scalar function after the table alias.
      const aliases = Array.isArray(node.column_name_alias) ? node.column_name_alias : [];
      if (
        SCALAR_TABLE_FUNCTIONS.has(name) &&
        aliases.length === 0 &&
        typeof node.alias === 'string' &&
        node.alias !== ''
      ) {
        changed = true;
        node.column_name_alias = [node.alias];
      }
      tableFunctions.push({
        catalog: str(fn.catalog),
        schema: str(fn.schema),
        table: str(fn.function_name),
      });
      return { ...node, function: fn };
    }
    if (typeof node.type === 'string' && 'sample' in node && !node.type.endsWith('_NODE'))
      refTypes.add(node.type);

    // Expressions.
    if (node.class === 'COLLATE') {
      changed = true;
      return visit(node.child);
    }
    if (node.class === 'CAST') {
      const target = castTypeName(node.cast_type);
      const child = node.child;
      if ((target === 'varchar' || target === 'text') && isNode(child) && child.class === 'CAST') {
        const inner = castTypeName(child.cast_type);
        const named: Record<string, string> = {
          regclass: 'cdw_regclass_name',
          regtype: 'cdw_regtype_name',
          regnamespace: 'cdw_regnamespace_name',
        };
        const fn = named[inner];
        if (fn) return shimFn(fn, [visit(child.child) as AstNode]);
      }
      // PostgreSQL's hex form '\x0001ff' (psycopg2's bytea literals); DuckDB would read '\x00'
      // as one escaped byte and the rest as text.
      if (
        (target === 'bytea' || target === 'blob') &&
        isNode(child) &&
        child.class === 'CONSTANT' &&
        isNode(child.value) &&
        typeof child.value.value === 'string' &&
        /^\\x([0-9a-fA-F]{2})*$/.test(child.value.value)
      ) {
        changed = true;
        return func('unhex', [constant(child.value.value.slice(2))]);
      }
      if (target === 'regclass') return shimFn('cdw_regclass', [visit(child) as AstNode]);
      if (target === 'regtype') return shimFn('cdw_regtype', [visit(child) as AstNode]);
      if (target === 'regnamespace') return shimFn('cdw_regnamespace', [visit(child) as AstNode]);
      if (target === 'regproc') return shimFn('cdw_regproc', [visit(child) as AstNode]);
      if (TEXT_TYPES.has(target)) {
        changed = true;
        return cast(visit(child) as AstNode, 'VARCHAR');
      }
      return { ...node, child: visit(child) };
    }
    // `x = ANY(array)` arrives as `x IN (SELECT unnest(array))`, which DuckDB cannot use in an
    // outer join condition; list_contains says the same.
    if (
      node.class === 'SUBQUERY' &&
      node.subquery_type === 'ANY' &&
      node.comparison_type === 'COMPARE_EQUAL'
    ) {
      const sel =
        isNode(node.subquery) && isNode(node.subquery.node) ? node.subquery.node : undefined;
      const item: unknown =
        sel && Array.isArray(sel.select_list) && sel.select_list.length === 1
          ? sel.select_list[0]
          : undefined;
      if (
        sel &&
        isNode(sel.from_table) &&
        sel.from_table.type === 'EMPTY' &&
        isNode(item) &&
        item.class === 'FUNCTION' &&
        item.function_name === 'unnest' &&
        Array.isArray(item.children) &&
        item.children.length === 1
      ) {
        changed = true;
        return func('list_contains', [
          visit(item.children[0]) as AstNode,
          visit(node.child) as AstNode,
        ]);
      }
    }
    // int2vector/oidvector columns of the catalog are subscripted from 0 in PostgreSQL
    // (psqlODBC: `i.indkey[ia.attnum-1]`); DuckDB lists from 1.
    if (
      node.class === 'OPERATOR' &&
      node.type === 'ARRAY_EXTRACT' &&
      Array.isArray(node.children) &&
      node.children.length === 2
    ) {
      const [list, index] = node.children as unknown[];
      const names = isNode(list) && Array.isArray(list.column_names) ? list.column_names : [];
      const column = String(names[names.length - 1] ?? '').toLowerCase();
      if (list !== undefined && index !== undefined && VECTOR_COLUMNS.has(column)) {
        changed = true;
        return {
          ...node,
          children: [
            visit(list),
            { ...func('+', [visit(index) as AstNode, constant(1)]), is_operator: true },
          ],
        };
      }
    }
    if (node.class === 'PARAMETER') {
      const oid = ctx.paramTypes[Number(node.identifier) - 1] ?? 0;
      const to = PARAM_CAST[oid];
      if (to) {
        changed = true;
        return cast(node, to);
      }
      return node;
    }
    if (node.class === 'FUNCTION') {
      const name = str(node.function_name).toLowerCase();
      const schema = str(node.schema).toLowerCase();
      const catalog = str(node.catalog);
      functions.push({ catalog, schema, table: name });
      let children = (Array.isArray(node.children) ? node.children : []).map(visit) as AstNode[];
      const typed = typeUnknownOperand(name, node.is_operator === true, children);
      if (typed) {
        changed = true;
        children = typed;
      }
      if (catalog === '' && (schema === '' || schema === 'pg_catalog')) {
        const s = sessionFunction(name, children, ctx, settings);
        if (s) {
          changed = true;
          return s;
        }
        if (ctx.shim.pgFunctions.has(name) && !name.startsWith('cdw_'))
          return shimFn(name, children);
        // PostgreSQL's LIKE escapes with a backslash unless told otherwise; DuckDB's does not.
        const like = LIKE_WITH_BACKSLASH[name];
        if (like && children.length === 2) {
          changed = true;
          return func(like, [...children, constant('\\')]);
        }
        if (name === 'json_build_object') {
          changed = true;
          return { ...node, function_name: 'json_object', schema: '', children };
        }
        if (ctx.pgRegex && (name === 'regexp_full_match' || name === '~*' || name === '!~*')) {
          changed = true;
          const args = name === 'regexp_full_match' ? children : [...children, constant('i')];
          const search = func('regexp_matches', args);
          return name === '!~*' ? not(search) : search;
        }
        if (schema === 'pg_catalog') {
          changed = true;
          return { ...node, schema: '', children };
        }
      }
      if (catalog === '' && schema === 'information_schema' && ctx.shim.infoFunctions.has(name)) {
        changed = true;
        return func(name, children, { catalog: SHIM_DB, schema: 'info' });
      }
      return { ...node, children };
    }

    const out: AstNode = {};
    for (const [k, val] of Object.entries(node)) out[k] = visit(val);
    return out;
  };

  const before = root;
  const after = visit(root) as AstNode;
  if (nameColumns(after, before)) changed = true;
  return {
    root: after,
    changed,
    tables,
    tableFunctions,
    functions,
    refTypes,
    cteNames,
    settings,
  };
}

/** `generate_series(…)` as a whole select-list item (a set-returning call in PostgreSQL). */
function isSetReturningItem(item: unknown): item is AstNode {
  return (
    isNode(item) &&
    item.class === 'FUNCTION' &&
    str(item.function_name).toLowerCase() === 'generate_series' &&
    ['', 'pg_catalog'].includes(str(item.schema).toLowerCase()) &&
    str(item.catalog) === ''
  );
}

/** PostgreSQL's name for an unaliased output column, from the original expression. */
function pgColumnName(e: AstNode): string | undefined {
  switch (e.class) {
    case 'COLUMN_REF':
    case 'STAR':
    case 'SUBQUERY':
      return undefined;
    case 'FUNCTION': {
      if (e.is_operator === true) return '?column?';
      const n = str(e.function_name);
      return n === 'count_star' ? 'count' : n.startsWith('regexp_full_match') ? '?column?' : n;
    }
    case 'CAST': {
      const c = e.child;
      if (isNode(c) && c.class === 'COLUMN_REF' && Array.isArray(c.column_names))
        return String(c.column_names[c.column_names.length - 1]);
      if (isNode(c) && c.class === 'FUNCTION') return pgColumnName(c);
      const t = castTypeName(e.cast_type);
      const known: Record<string, string> = {
        integer: 'int4',
        bigint: 'int8',
        smallint: 'int2',
        varchar: 'text',
        boolean: 'bool',
        double: 'float8',
        float: 'float4',
        decimal: 'numeric',
      };
      return known[t] ?? t;
    }
    case 'CASE':
      return 'case';
    default:
      return '?column?';
  }
}

function nameColumns(after: AstNode, before: AstNode): boolean {
  let changed = false;
  const apply = (a: unknown, b: unknown) => {
    if (!isNode(a) || !isNode(b)) return;
    if (a.type === 'SET_OPERATION_NODE') {
      apply(a.left, b.left);
      return;
    }
    if (a.type !== 'SELECT_NODE' || !Array.isArray(a.select_list) || !Array.isArray(b.select_list))
      return;
    const origList = b.select_list as unknown[];
    a.select_list.forEach((item, i) => {
      const orig = origList[i];
      if (!isNode(item) || !isNode(orig) || item.alias !== '' || orig.alias !== '') return;
      const name = pgColumnName(orig);
      if (name !== undefined) {
        item.alias = name;
        changed = true;
      }
    });
  };
  apply(after.node, before.node);
  return changed;
}
