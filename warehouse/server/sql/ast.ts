/**
 * Helpers over DuckDB's serialized parse tree (`json_serialize_sql`). Nodes are plain JSON;
 * these build the few node shapes the rewriter inserts.
 */

/** A node of the serialized tree (expression, table reference or query node). */
export type AstNode = Record<string, unknown>;

/** A node field that should hold a string (a name, an alias): the string, or '' for anything else. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function constant(value: string | number | boolean | null): AstNode {
  const id =
    value === null
      ? 'NULL'
      : typeof value === 'string'
        ? 'VARCHAR'
        : typeof value === 'boolean'
          ? 'BOOLEAN'
          : Number.isInteger(value)
            ? 'BIGINT'
            : 'DOUBLE';
  return {
    class: 'CONSTANT',
    type: 'VALUE_CONSTANT',
    alias: '',
    query_location: 0,
    value: {
      type: { id, type_info: null },
      is_null: value === null,
      ...(value === null ? {} : { value }),
    },
  };
}

export function func(
  name: string,
  children: AstNode[],
  where: { catalog?: string; schema?: string } = {},
): AstNode {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: '',
    query_location: 0,
    function_name: name,
    schema: where.schema ?? '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: where.catalog ?? '',
  };
}

export function stringList(values: readonly string[]): AstNode {
  return func(
    'list_value',
    values.map((v) => constant(v)),
  );
}

export function cast(child: AstNode, typeId: string): AstNode {
  return {
    class: 'CAST',
    type: 'OPERATOR_CAST',
    alias: '',
    query_location: 0,
    child,
    cast_type: { id: typeId, type_info: null },
    try_cast: false,
  };
}

export function not(child: AstNode): AstNode {
  return {
    class: 'OPERATOR',
    type: 'OPERATOR_NOT',
    alias: '',
    query_location: 0,
    children: [child],
  };
}

/** A table-function reference `catalog.schema.name(args) AS alias`. */
export function tableFunction(
  catalog: string,
  schema: string,
  name: string,
  args: AstNode[],
  alias: string,
  columnAliases: unknown,
): AstNode {
  return {
    type: 'TABLE_FUNCTION',
    alias,
    sample: null,
    query_location: 0,
    function: func(name, args, { catalog, schema }),
    column_name_alias: Array.isArray(columnAliases) ? columnAliases : [],
    with_ordinality: 'WITHOUT_ORDINALITY',
  };
}

/** The name a cast target has in PostgreSQL (for column naming and cast rewriting). */
export function castTypeName(castType: unknown): string {
  if (!isNode(castType)) return '';
  const info = castType.type_info;
  if (castType.id === 'UNBOUND' && isNode(info)) return str(info.name).toLowerCase();
  return str(castType.id).toLowerCase();
}

/** JSON.parse loses the uint64 'no location' marker; positions are not needed after rewriting. */
export function parseSerialized(json: string): AstNode {
  return JSON.parse(json.replace(/"query_location":\d+/g, '"query_location":0')) as AstNode;
}
