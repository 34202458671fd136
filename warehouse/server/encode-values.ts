import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/** Turns one DuckDB value (never null) into its PostgreSQL wire form. */
export type Encoder = (v: DuckDBValue) => string | Buffer;

const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = 946684800000000n;
const DATE_INFINITY = 2147483647;
const TS_INFINITY = 9223372036854775807n;

/** PostgreSQL's float8 text: shortest round-trip digits, exponent with two digits at least. */
export function float8Text(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

function float4Text(n: number): string {
  if (!Number.isFinite(n)) return float8Text(n);
  for (let p = 1; p <= 9; p++) {
    const s = Number(n.toPrecision(p));
    if (Math.fround(s) === n) return float8Text(s);
  }
  return float8Text(n);
}

function intervalText(v: { months: number; days: number; micros: bigint }): string {
  const parts: string[] = [];
  const years = Math.trunc(v.months / 12);
  const mons = v.months % 12;
  if (years) parts.push(`${years} year${Math.abs(years) === 1 ? '' : 's'}`);
  if (mons) parts.push(`${mons} mon${Math.abs(mons) === 1 ? '' : 's'}`);
  if (v.days) parts.push(`${v.days} day${Math.abs(v.days) === 1 ? '' : 's'}`);
  if (v.micros !== 0n || parts.length === 0) {
    const neg = v.micros < 0n;
    let us = neg ? -v.micros : v.micros;
    const h = us / 3600000000n;
    us %= 3600000000n;
    const m = us / 60000000n;
    us %= 60000000n;
    const s = us / 1000000n;
    const frac = us % 1000000n;
    const pad = (x: bigint) => x.toString().padStart(2, '0');
    let t = `${neg ? '-' : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
    if (frac) t += `.${frac.toString().padStart(6, '0').replace(/0+$/, '')}`;
    parts.push(t);
  }
  return parts.join(' ');
}

function arrayElementText(s: string): string {
  if (s === '' || /[{},"\\\s]/.test(s) || s.toUpperCase() === 'NULL')
    return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return s;
}

/** Text-format encoder for a DuckDB type, matching PostgreSQL's output functions. */
export function textEncoder(t: DuckDBType): Encoder {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (v) => (v ? 't' : 'f');
    case DuckDBTypeId.VARCHAR:
      return (v) => v as string;
    case DuckDBTypeId.FLOAT:
      return (v) => float4Text(v as number);
    case DuckDBTypeId.DOUBLE:
      return (v) => float8Text(v as number);
    case DuckDBTypeId.BLOB:
      return (v) =>
        `\\x${Buffer.from((v as unknown as { bytes: Uint8Array }).bytes).toString('hex')}`;
    case DuckDBTypeId.DATE:
      return (v) => {
        const d = (v as unknown as { days: number }).days;
        return d === DATE_INFINITY ? 'infinity' : d === -DATE_INFINITY ? '-infinity' : String(v);
      };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => {
        const us = (v as unknown as { micros: bigint }).micros;
        return us === TS_INFINITY ? 'infinity' : us === -TS_INFINITY ? '-infinity' : String(v);
      };
    case DuckDBTypeId.INTERVAL:
      return (v) => intervalText(v as unknown as { months: number; days: number; micros: bigint });
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = textEncoder((t as unknown as { valueType: DuckDBType }).valueType);
      return (v) => {
        const items = (v as unknown as { items: readonly DuckDBValue[] }).items;
        return `{${items.map((x) => (x === null ? 'NULL' : arrayElementText(String(child(x))))).join(',')}}`;
      };
    }
    default:
      return (v) => String(v);
  }
}

function int(n: number, bytes: 2 | 4): Buffer {
  const b = Buffer.allocUnsafe(bytes);
  if (bytes === 2) b.writeInt16BE(n);
  else b.writeInt32BE(n);
  return b;
}

function int64(n: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64BE(n);
  return b;
}

/** PostgreSQL binary numeric from a decimal string. */
export function numericBinary(text: string): Buffer {
  let s = text.trim();
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) s = s.slice(1);
  const [ip = '0', fp = ''] = s.split('.');
  const dscale = fp.length;
  const intPart = ip.replace(/^0+/, '');
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = fp.padEnd(Math.ceil(fp.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  const b = Buffer.allocUnsafe(8 + 2 * groups.length);
  b.writeInt16BE(groups.length, 0);
  b.writeInt16BE(weight, 2);
  b.writeUInt16BE(neg && groups.length > 0 ? 0x4000 : 0, 4);
  b.writeInt16BE(dscale, 6);
  groups.forEach((g, i) => b.writeInt16BE(g, 8 + 2 * i));
  return b;
}

/** Binary-format encoder, for the types clients ask binary results for; undefined if none. */
export function binaryEncoder(t: DuckDBType): Encoder | undefined {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (v) => Buffer.from([v ? 1 : 0]);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return (v) => int(v as number, 2);
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return (v) => int(v as number, 4);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return (v) => int64(BigInt(v as number | bigint));
    case DuckDBTypeId.FLOAT:
      return (v) => {
        const b = Buffer.allocUnsafe(4);
        b.writeFloatBE(v as number);
        return b;
      };
    case DuckDBTypeId.DOUBLE:
      return (v) => {
        const b = Buffer.allocUnsafe(8);
        b.writeDoubleBE(v as number);
        return b;
      };
    case DuckDBTypeId.VARCHAR:
      return (v) => Buffer.from(v as string, 'utf8');
    case DuckDBTypeId.BLOB:
      return (v) => Buffer.from((v as unknown as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.DATE:
      return (v) => int((v as unknown as { days: number }).days - PG_EPOCH_DAYS, 4);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => int64((v as unknown as { micros: bigint }).micros - PG_EPOCH_MICROS);
    case DuckDBTypeId.TIME:
      return (v) => int64((v as unknown as { micros: bigint }).micros);
    case DuckDBTypeId.UUID:
      return (v) => Buffer.from(String(v).replaceAll('-', ''), 'hex');
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.UBIGINT:
      return (v) => numericBinary(String(v));
    default:
      return undefined;
  }
}
