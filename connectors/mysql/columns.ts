import type mysql from 'mysql2';

// MySQL column type codes (protocol): which print as plain numbers/dates and which may hold bytes.
const PLAIN_TYPES = new Set([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 246]); // numbers, dates, times, years, decimals
const BYTE_TYPES = new Set([15, 16, 249, 250, 251, 252, 253, 254, 255]); // (var)char/binary, bit, blobs, geometry
const BINARY_CHARSET = 63;
const TIMESTAMP_TYPE = 7;

export interface ColumnShape {
  readonly name: string;
  /** A TIMESTAMP: printed in the session's UTC, so landed with "+00" (as PostgreSQL prints timestamptz). */
  readonly utc: boolean;
  /** Never needs CSV quoting (numbers, dates). */
  readonly plain: boolean;
  /** Holds bytes, not text: landed as hex (`\x…`, as PostgreSQL prints bytea). */
  readonly binary: boolean;
}

export function columnShapes(fields: readonly mysql.FieldPacket[]): ColumnShape[] {
  return fields.map((f) => {
    const type = f.columnType ?? f.type ?? -1;
    return { name: f.name, plain: PLAIN_TYPES.has(type), binary: BYTE_TYPES.has(type) && f.characterSet === BINARY_CHARSET, utc: type === TIMESTAMP_TYPE };
  });
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
