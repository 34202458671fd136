import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DOUBLE,
  FLOAT,
  INTEGER,
  SMALLINT,
  VARCHAR,
  blobValue,
  dateValue,
  timestampValue,
  DATE,
  TIMESTAMP,
  TIMESTAMPTZ,
  UUID,
  DuckDBUUIDValue,
  LIST,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { OID, pgElementOfArray } from './pg-types.ts';
import { PgError } from './pg-error.ts';

/** A bind parameter ready for DuckDB: the value and the type it is bound as. */
export interface BoundParam {
  readonly value: DuckDBValue;
  readonly type: DuckDBType;
}

function hexBytea(text: string): Uint8Array {
  if (!text.startsWith('\\x')) return Buffer.from(text, 'latin1');
  return Buffer.from(text.slice(2), 'hex');
}

/**
 * Text-format parameters go in as VARCHAR and DuckDB casts them to the type it inferred, which
 * accepts PostgreSQL's text forms; bytea and booleans are decoded here because DuckDB reads
 * their text differently.
 */
function fromText(text: string, oid: number): BoundParam {
  if (oid === OID.bytea) return { value: blobValue(hexBytea(text)), type: BLOB };
  // An array in PostgreSQL's text form ({1,2}, {"a b",NULL}): a list of texts DuckDB casts.
  const element = pgElementOfArray(oid);
  if (element !== undefined) return arrayParam(parsePgArray(text), element.oid);
  if (oid === OID.bool) return { value: /^(t|true|y|yes|on|1)$/i.test(text.trim()), type: BOOLEAN };
  return { value: text, type: VARCHAR };
}

/**
 * A list typed as DuckDB inferred it (a list of another type would make DuckDB bind the
 * statement again and fail to unify, e.g. `list_contains(INTEGER[], …)` with VARCHAR[]).
 */
function arrayParam(items: readonly (string | null)[], elementOid: number): BoundParam {
  const num = (f: (x: string) => DuckDBValue, type: DuckDBType): BoundParam => ({
    value: listValue(
      items.map((x) => {
        if (x === null) return null;
        const v = f(x);
        if (typeof v === 'number' && Number.isNaN(v))
          throw new PgError(
            '22P02',
            `invalid input syntax for an array element of type ${type.toString()}`,
          );
        return v;
      }),
    ),
    type: LIST(type),
  });
  switch (elementOid) {
    case OID.int2:
      return num(Number, SMALLINT);
    case OID.int4:
      return num(Number, INTEGER);
    case OID.int8:
      return num((x) => BigInt(x.trim()), BIGINT);
    case OID.float4:
    case OID.float8:
      return num(Number, DOUBLE);
    case OID.bool:
      return num((x) => /^(t|true|y|yes|on|1)$/i.test(x.trim()), BOOLEAN);
    default:
      return { value: listValue(items), type: LIST(VARCHAR) };
  }
}

/** The elements of a one-dimensional PostgreSQL array literal (`{a,"b c",NULL}`). */
export function parsePgArray(text: string): (string | null)[] {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}'))
    throw new PgError('22P02', 'malformed array literal: it must start with "{" and end with "}"');
  const out: (string | null)[] = [];
  let i = 1;
  const end = t.length - 1;
  if (t.slice(1, end).trim() === '') return out;
  while (i <= end) {
    while (t[i] === ' ') i++;
    if (t[i] === '{')
      throw new PgError('0A000', 'multi-dimensional array parameters are not supported');
    let item = '';
    let quoted = false;
    if (t[i] === '"') {
      quoted = true;
      i++;
      while (i < end && t[i] !== '"') {
        if (t[i] === '\\') i++;
        item += t[i++];
      }
      i++;
    } else {
      while (i < end && t[i] !== ',') {
        if (t[i] === '\\') i++;
        item += t[i++];
      }
      item = item.trim();
    }
    out.push(!quoted && item.toUpperCase() === 'NULL' ? null : item);
    while (t[i] === ' ') i++;
    i++; // the comma, or the closing brace
  }
  return out;
}

const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = 946684800000000n;

function fromBinary(b: Buffer, oid: number): BoundParam {
  switch (oid) {
    case OID.bool:
      return { value: b[0] === 1, type: BOOLEAN };
    case OID.int2:
      return { value: b.readInt16BE(0), type: SMALLINT };
    case OID.int4:
      return { value: b.readInt32BE(0), type: INTEGER };
    case OID.int8:
      return { value: b.readBigInt64BE(0), type: BIGINT };
    case OID.float4:
      return { value: b.readFloatBE(0), type: FLOAT };
    case OID.float8:
      return { value: b.readDoubleBE(0), type: DOUBLE };
    case OID.bytea:
      return { value: blobValue(new Uint8Array(b)), type: BLOB };
    case OID.date:
      return { value: dateValue(b.readInt32BE(0) + PG_EPOCH_DAYS), type: DATE };
    case OID.timestamp:
      return { value: timestampValue(b.readBigInt64BE(0) + PG_EPOCH_MICROS), type: TIMESTAMP };
    case OID.timestamptz:
      return { value: timestampValue(b.readBigInt64BE(0) + PG_EPOCH_MICROS), type: TIMESTAMPTZ };
    case OID.uuid:
      return { value: DuckDBUUIDValue.fromUint128(BigInt(`0x${b.toString('hex')}`)), type: UUID };
    case OID.numeric:
      return { value: numericFromBinary(b), type: VARCHAR };
    case OID.text:
    case OID.varchar:
    case OID.json:
    case OID.unknown:
    case 19:
    case 1042:
    case 0:
      return { value: b.toString('utf8'), type: VARCHAR };
    default:
      throw new PgError(
        '0A000',
        `binary format is not supported for parameters of type oid ${oid}; send it as text`,
      );
  }
}

function numericFromBinary(b: Buffer): string {
  const n = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  let digits = '';
  for (let i = 0; i < n; i++) digits += String(b.readInt16BE(8 + 2 * i)).padStart(4, '0');
  const intGroups = weight + 1;
  let intPart: string;
  let frac: string;
  if (intGroups <= 0) {
    intPart = '0';
    frac = '0'.repeat(-intGroups * 4) + digits;
  } else {
    const padded = digits.padEnd(intGroups * 4, '0');
    intPart = padded.slice(0, intGroups * 4).replace(/^0+(?=\d)/, '');
    frac = padded.slice(intGroups * 4);
  }
  frac = frac.padEnd(dscale, '0').slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${intPart}${dscale > 0 ? `.${frac}` : ''}`;
}

/** Decodes the Bind parameters: format codes per PostgreSQL (none = all text, one = for all). */
export function decodeParams(
  params: readonly (Buffer | null)[],
  formats: readonly number[],
  oids: readonly number[],
): (BoundParam | null)[] {
  return params.map((p, i) => {
    if (p === null) return null;
    const format =
      formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
    const oid = oids[i] ?? 0;
    return format === 1 ? fromBinary(p, oid) : fromText(p.toString('utf8'), oid);
  });
}
