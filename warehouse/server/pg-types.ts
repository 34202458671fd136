import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

/**
 * The PostgreSQL types cdw shows to clients, and how DuckDB types map onto them. One table
 * serves the wire (RowDescription OIDs), the catalog (`pg_type`, `format_type`) and parameter
 * decoding, so the three never disagree.
 */
export interface PgType {
  readonly oid: number;
  readonly name: string;
  /** What `format_type` prints (without modifiers). */
  readonly sqlName: string;
  /** typlen: bytes, or -1 for variable length. */
  readonly len: number;
  readonly arrayOid: number;
  /** typcategory */
  readonly category: string;
  /** DuckDB type names (as in duckdb_columns().data_type) shown as this type. */
  readonly duck: readonly string[];
}

export const PG_TYPES: readonly PgType[] = [
  {
    oid: 16,
    name: 'bool',
    sqlName: 'boolean',
    len: 1,
    arrayOid: 1000,
    category: 'B',
    duck: ['BOOLEAN'],
  },
  {
    oid: 17,
    name: 'bytea',
    sqlName: 'bytea',
    len: -1,
    arrayOid: 1001,
    category: 'U',
    duck: ['BLOB'],
  },
  { oid: 18, name: 'char', sqlName: '"char"', len: 1, arrayOid: 1002, category: 'Z', duck: [] },
  { oid: 19, name: 'name', sqlName: 'name', len: 64, arrayOid: 1003, category: 'S', duck: [] },
  {
    oid: 20,
    name: 'int8',
    sqlName: 'bigint',
    len: 8,
    arrayOid: 1016,
    category: 'N',
    duck: ['BIGINT', 'UINTEGER'],
  },
  {
    oid: 21,
    name: 'int2',
    sqlName: 'smallint',
    len: 2,
    arrayOid: 1005,
    category: 'N',
    duck: ['SMALLINT', 'TINYINT', 'UTINYINT'],
  },
  {
    oid: 22,
    name: 'int2vector',
    sqlName: 'int2vector',
    len: -1,
    arrayOid: 1006,
    category: 'A',
    duck: [],
  },
  {
    oid: 23,
    name: 'int4',
    sqlName: 'integer',
    len: 4,
    arrayOid: 1007,
    category: 'N',
    duck: ['INTEGER', 'USMALLINT'],
  },
  { oid: 24, name: 'regproc', sqlName: 'regproc', len: 4, arrayOid: 1008, category: 'N', duck: [] },
  { oid: 25, name: 'text', sqlName: 'text', len: -1, arrayOid: 1009, category: 'S', duck: [] },
  { oid: 26, name: 'oid', sqlName: 'oid', len: 4, arrayOid: 1028, category: 'N', duck: [] },
  {
    oid: 30,
    name: 'oidvector',
    sqlName: 'oidvector',
    len: -1,
    arrayOid: 1013,
    category: 'A',
    duck: [],
  },
  {
    oid: 114,
    name: 'json',
    sqlName: 'json',
    len: -1,
    arrayOid: 199,
    category: 'U',
    duck: ['JSON'],
  },
  {
    oid: 700,
    name: 'float4',
    sqlName: 'real',
    len: 4,
    arrayOid: 1021,
    category: 'N',
    duck: ['FLOAT'],
  },
  {
    oid: 701,
    name: 'float8',
    sqlName: 'double precision',
    len: 8,
    arrayOid: 1022,
    category: 'N',
    duck: ['DOUBLE'],
  },
  { oid: 705, name: 'unknown', sqlName: 'unknown', len: -2, arrayOid: 0, category: 'X', duck: [] },
  {
    oid: 1042,
    name: 'bpchar',
    sqlName: 'character',
    len: -1,
    arrayOid: 1014,
    category: 'S',
    duck: [],
  },
  {
    oid: 1043,
    name: 'varchar',
    sqlName: 'character varying',
    len: -1,
    arrayOid: 1015,
    category: 'S',
    duck: ['VARCHAR'],
  },
  {
    oid: 1082,
    name: 'date',
    sqlName: 'date',
    len: 4,
    arrayOid: 1182,
    category: 'D',
    duck: ['DATE'],
  },
  {
    oid: 1083,
    name: 'time',
    sqlName: 'time without time zone',
    len: 8,
    arrayOid: 1183,
    category: 'D',
    duck: ['TIME', 'TIME_NS'],
  },
  {
    oid: 1114,
    name: 'timestamp',
    sqlName: 'timestamp without time zone',
    len: 8,
    arrayOid: 1115,
    category: 'D',
    duck: ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS'],
  },
  {
    oid: 1184,
    name: 'timestamptz',
    sqlName: 'timestamp with time zone',
    len: 8,
    arrayOid: 1185,
    category: 'D',
    duck: ['TIMESTAMP WITH TIME ZONE'],
  },
  {
    oid: 1186,
    name: 'interval',
    sqlName: 'interval',
    len: 16,
    arrayOid: 1187,
    category: 'T',
    duck: ['INTERVAL'],
  },
  {
    oid: 1266,
    name: 'timetz',
    sqlName: 'time with time zone',
    len: 12,
    arrayOid: 1270,
    category: 'D',
    duck: ['TIME WITH TIME ZONE'],
  },
  { oid: 1560, name: 'bit', sqlName: 'bit', len: -1, arrayOid: 1561, category: 'V', duck: ['BIT'] },
  {
    oid: 1700,
    name: 'numeric',
    sqlName: 'numeric',
    len: -1,
    arrayOid: 1231,
    category: 'N',
    duck: ['DECIMAL', 'HUGEINT', 'UHUGEINT', 'UBIGINT', 'BIGNUM', 'VARINT'],
  },
  {
    oid: 2205,
    name: 'regclass',
    sqlName: 'regclass',
    len: 4,
    arrayOid: 2210,
    category: 'N',
    duck: [],
  },
  {
    oid: 2206,
    name: 'regtype',
    sqlName: 'regtype',
    len: 4,
    arrayOid: 2211,
    category: 'N',
    duck: [],
  },
  {
    oid: 2950,
    name: 'uuid',
    sqlName: 'uuid',
    len: 16,
    arrayOid: 2951,
    category: 'U',
    duck: ['UUID'],
  },
  { oid: 3802, name: 'jsonb', sqlName: 'jsonb', len: -1, arrayOid: 3807, category: 'U', duck: [] },
];

export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  uuid: 2950,
} as const;

const byOid = new Map(PG_TYPES.map((t) => [t.oid, t]));
const byArrayOid = new Map(PG_TYPES.map((t) => [t.arrayOid, t]));

export function pgTypeByOid(oid: number): PgType | undefined {
  return byOid.get(oid);
}

export function pgElementOfArray(oid: number): PgType | undefined {
  return byArrayOid.get(oid);
}

/** PostgreSQL OID for a scalar DuckDB type id (not LIST/ARRAY). */
function scalarOid(t: DuckDBType): number {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return OID.bool;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return OID.int2;
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return OID.int4;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return OID.int8;
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.DECIMAL:
      return OID.numeric;
    case DuckDBTypeId.FLOAT:
      return OID.float4;
    case DuckDBTypeId.DOUBLE:
      return OID.float8;
    case DuckDBTypeId.VARCHAR:
      return t.alias === 'JSON' ? OID.json : OID.varchar;
    case DuckDBTypeId.BLOB:
      return OID.bytea;
    case DuckDBTypeId.DATE:
      return OID.date;
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
      return OID.time;
    case DuckDBTypeId.TIME_TZ:
      return OID.timetz;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return OID.timestamp;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return OID.timestamptz;
    case DuckDBTypeId.INTERVAL:
      return OID.interval;
    case DuckDBTypeId.UUID:
      return OID.uuid;
    case DuckDBTypeId.BIT:
      return 1560;
    default:
      return OID.text; // ENUM, STRUCT, MAP, UNION, …: sent as their text form
  }
}

/**
 * Catalog columns PostgreSQL types int2vector/oidvector: their text is `1 2`, not `{1,2}`, and
 * they are subscripted from 0 (the rewriter shifts `indkey[i]`). DuckDB keeps no type alias
 * through a query, so they are known by name — a list of integers under one of these names.
 */
export const VECTOR_COLUMNS: ReadonlyMap<string, number> = new Map([
  ['indkey', 22],
  ['indoption', 22],
  ['tgattr', 22],
  ['indclass', 30],
  ['indcollation', 30],
  ['proargtypes', 30],
]);

/** int2vector (22) or oidvector (30) if a result column is one of the catalog's vectors. */
export function vectorColumnOid(name: string, t: DuckDBType): number | undefined {
  if (t.typeId !== DuckDBTypeId.LIST) return undefined;
  const child = (t as unknown as { valueType: DuckDBType }).valueType.typeId;
  const integer = [DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT].includes(
    child,
  );
  return integer ? VECTOR_COLUMNS.get(name.toLowerCase()) : undefined;
}

/** The PostgreSQL column type of a DuckDB result column: OID, typlen and typmod. */
export function pgColumnType(t: DuckDBType): { oid: number; size: number; modifier: number } {
  if (t.typeId === DuckDBTypeId.LIST || t.typeId === DuckDBTypeId.ARRAY) {
    const child = (t as unknown as { valueType: DuckDBType }).valueType;
    const isNested = child.typeId === DuckDBTypeId.LIST || child.typeId === DuckDBTypeId.ARRAY;
    const elem = byOid.get(isNested ? OID.text : scalarOid(child));
    return { oid: elem?.arrayOid || 1009, size: -1, modifier: -1 };
  }
  const oid = scalarOid(t);
  const modifier =
    t.typeId === DuckDBTypeId.DECIMAL
      ? (((t as unknown as { width: number }).width << 16) |
          (t as unknown as { scale: number }).scale) +
        4
      : -1;
  return { oid, size: byOid.get(oid)?.len ?? -1, modifier };
}
