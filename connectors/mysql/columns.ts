import mysql from 'mysql2';

// MySQL column type codes (protocol): which print as plain numbers/dates and which may hold bytes.
const PLAIN_TYPES = new Set([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 246]); // numbers, dates, times, years, decimals
const BYTE_TYPES = new Set([15, 16, 249, 250, 251, 252, 253, 254, 255]); // (var)char/binary, bit, blobs, geometry
const BINARY_CHARSET = 63;
const TIMESTAMP_TYPE = 7;
// Types mysql2's own decoding returns exactly as the server printed them (with dateStrings,
// bigNumberStrings and jsonStrings): integers (as numbers, which print back the same), decimals,
// dates and times, years, text and JSON. Not FLOAT/DOUBLE (a float printed back by JavaScript
// can differ: 1e20), BIT, GEOMETRY or binary strings.
const BUILTIN_TYPES = new Set([
  0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14, 245, 246, 15, 249, 250, 251, 252, 253, 254,
]);

export interface ColumnShape {
  readonly name: string;
  /** A TIMESTAMP: printed in the session's UTC, so landed with "+00" (as PostgreSQL prints timestamptz). */
  readonly utc: boolean;
  /** Never needs CSV quoting (numbers, dates). */
  readonly plain: boolean;
  /** Holds bytes, not text: landed as hex (`\x…`, as PostgreSQL prints bytea). */
  readonly binary: boolean;
  /** mysql2's own decoding gives the value as printed (no typeCast call needed). */
  readonly builtin: boolean;
  /** The protocol's name of its type (`VAR_STRING`, `LONG`, `NEWDECIMAL`; `TEXT` for a text blob), for the schema contract. */
  readonly typeName: string;
}

export function columnShapes(fields: readonly mysql.FieldPacket[]): ColumnShape[] {
  return fields.map((f) => {
    const type = f.columnType ?? f.type ?? -1;
    const binary = BYTE_TYPES.has(type) && f.characterSet === BINARY_CHARSET;
    return {
      name: f.name,
      plain: PLAIN_TYPES.has(type),
      binary,
      utc: type === TIMESTAMP_TYPE,
      builtin: BUILTIN_TYPES.has(type) && !binary,
      typeName: typeName(type, binary),
    };
  });
}

const TYPE_NAMES = mysql.Types as unknown as Readonly<Record<number, string>>;

function typeName(type: number, binary: boolean): string {
  const name = TYPE_NAMES[type] ?? `type ${type}`;
  if (!BYTE_TYPES.has(type) || type === 16) return name;
  if (type === 252 || type === 249 || type === 250 || type === 251) return binary ? 'BLOB' : 'TEXT';
  return binary ? `${name} (binary)` : name;
}

/**
 * mysql2 `typeCast`: every value as the server sent it in the text protocol (no parsing into
 * numbers or Dates), bytes as hex, TIMESTAMPs marked as UTC. Columns are known by name from the
 * result's fields.
 */
export function rawTextCast(shapes: readonly ColumnShape[]): mysql.TypeCast {
  const binary = new Set(shapes.filter((s) => s.binary).map((s) => s.name));
  const utc = new Set(shapes.filter((s) => s.utc).map((s) => s.name));
  return (field) => {
    if (binary.has(field.name)) {
      const b = field.buffer();
      return b === null ? null : `\\x${b.toString('hex')}`;
    }
    const v = field.string('utf8');
    return v !== null && utc.has(field.name) ? `${v}+00` : v;
  };
}

/**
 * How rows are decoded: by mysql2 itself when every column's type allows (much cheaper than a
 * typeCast call per value; TIMESTAMPs then get their "+00" per row), else by `rawTextCast`.
 * Returns the query's typeCast (undefined: mysql2's own) and the fix-up each row needs.
 */
export function rowDecoding(shapes: readonly ColumnShape[]): {
  typeCast: mysql.TypeCast | undefined;
  fix: ((row: (string | number | null)[]) => void) | undefined;
} {
  if (!shapes.every((s) => s.builtin)) return { typeCast: rawTextCast(shapes), fix: undefined };
  const utc = shapes.flatMap((s, i) => (s.utc ? [i] : []));
  if (utc.length === 0) return { typeCast: undefined, fix: undefined };
  return {
    typeCast: undefined,
    fix: (row) => {
      for (const i of utc) if (row[i] !== null) row[i] = `${row[i]}+00`;
    },
  };
}
