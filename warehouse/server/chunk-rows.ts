import duckdb from '@duckdb/node-bindings';
import {
  type DuckDBDecimalType,
  DuckDBTypeId,
  type DuckDBDataChunk,
  type DuckDBType,
} from '@duckdb/node-api';
import { float8Text, type Encoder } from './encode-values.ts';

/**
 * DataRow messages written straight from DuckDB's column buffers into one large output buffer.
 * For the common types in text format the cell is written from the raw vector (integers,
 * decimals, dates and timestamps as digits, VARCHAR as its UTF-8 bytes), with no JS value per
 * cell; any other type or format, and values outside the fast path's range (years before 1 or
 * after 9999, integers beyond 2^53), go through the value encoders of `encode-values.ts`, so
 * both paths print the same text (tests/server/chunk-rows.test.ts compares them).
 */
export class DataRowBuffer {
  buf: Buffer;
  pos = 0;

  constructor(initial = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The packed rows so far, handed over without a copy; writing goes on in a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.pos = 0;
    return out;
  }

  nullCell(): void {
    this.ensure(4);
    int32At(this.buf, -1, this.pos);
    this.pos += 4;
  }

  bytesCell(b: Uint8Array): void {
    this.ensure(4 + b.length);
    int32At(this.buf, b.length, this.pos);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
  }

  /** `len` bytes of `src` from `at`, copied one by one (short: cheaper than a view and a set). */
  inlineCell(src: Uint8Array, at: number, len: number): void {
    this.ensure(4 + len);
    const b = this.buf;
    int32At(b, len, this.pos);
    const p = this.pos + 4;
    for (let i = 0; i < len; i++) b[p + i] = src[at + i]!;
    this.pos = p + len;
  }

  stringCell(s: string): void {
    this.ensure(4 + 3 * s.length);
    const n = this.buf.write(s, this.pos + 4, 'utf8');
    int32At(this.buf, n, this.pos);
    this.pos += 4 + n;
  }

  /** Digits of a safe integer at `p`; returns the position after them. */
  private digits(n: number, p: number): number {
    const b = this.buf;
    if (n < 0) {
      b[p++] = 45;
      n = -n;
    }
    let count = 1;
    while (count < 16 && n >= POW10[count]!) count++;
    let q = p + count;
    // Above 2^31 with doubles (no `%`: V8 computes it on doubles with a C call), below in int32
    // two digits at a time.
    while (n >= 2147483648) {
      const t = Math.floor(n / 10);
      b[--q] = 48 + (n - t * 10);
      n = t;
    }
    let v = n | 0;
    while (v >= 100) {
      const t = (v / 100) | 0;
      const d = v - t * 100;
      b[--q] = ONES[d]!;
      b[--q] = TENS[d]!;
      v = t;
    }
    if (v >= 10) {
      b[q - 1] = ONES[v]!;
      b[q - 2] = TENS[v]!;
    } else b[q - 1] = 48 + v;
    return p + count;
  }

  /** `width` digits of 0 ≤ n < 10^width (zero-padded) at `p`. */
  private pad(n: number, width: number, p: number): number {
    const b = this.buf;
    let i = width - 1;
    for (; n >= 2147483648; i--) {
      const t = Math.floor(n / 10);
      b[p + i] = 48 + (n - t * 10);
      n = t;
    }
    let v = n | 0;
    for (; i >= 0; i--) {
      const t = (v / 10) | 0;
      b[p + i] = 48 + (v - t * 10);
      v = t;
    }
    return p + width;
  }

  /** Two digits of 0–99 at `p`. */
  private two(n: number, p: number): number {
    this.buf[p] = TENS[n]!;
    this.buf[p + 1] = ONES[n]!;
    return p + 2;
  }

  /** Text known to be ASCII (a number's digits). */
  asciiCell(s: string): void {
    this.ensure(4 + s.length);
    int32At(this.buf, s.length, this.pos);
    this.buf.write(s, this.pos + 4, 'latin1');
    this.pos += 4 + s.length;
  }

  intCell(n: number): void {
    this.ensure(4 + 22);
    const end = this.digits(n, this.pos + 4);
    int32At(this.buf, end - this.pos - 4, this.pos);
    this.pos = end;
  }

  /** A scaled integer as PostgreSQL prints numeric: every digit of the scale, no exponent. */
  decimalCell(v: number, scale: number, pow: number): void {
    this.ensure(4 + 44);
    let p = this.pos + 4;
    if (v < 0) {
      this.buf[p++] = 45;
      v = -v;
    }
    const int = Math.floor(v / pow);
    p = this.digits(int, p);
    if (scale > 0) {
      this.buf[p++] = 46;
      p = this.pad(v - int * pow, scale, p);
    }
    int32At(this.buf, p - this.pos - 4, this.pos);
    this.pos = p;
  }

  /**
   * A double as PostgreSQL (and `float8Text`) prints it — the shortest decimal that reads back
   * as the same double — for the common values without printing through a string: integers
   * and numbers with up to 4 decimals under 1e11. There, v / 10^k === x means the decimal
   * v·10^-k reads back as x; the smallest such k gives the fewest digits, and as a double's
   * spacing is below 10^-4 no other decimal of k places reads back as x. False (nothing
   * written) for the rest (and for 0, whose sign PostgreSQL prints): the caller prints them.
   */
  floatCell(x: number): boolean {
    if (!(Math.abs(x) < 1e11) || x === 0) return false;
    if (Number.isInteger(x)) {
      this.intCell(x);
      return true;
    }
    for (let k = 1, pow = 10; k <= 4; k++, pow *= 10) {
      const v = Math.round(x * pow);
      if (v / pow === x) {
        this.decimalCell(v, k, pow);
        return true;
      }
    }
    return false;
  }

  /** `YYYY-MM-DD` from days since 1970-01-01; false (nothing written) outside years 1–9999. */
  dateCell(days: number): boolean {
    const ymd = this.ymd(days);
    if (ymd === undefined) return false;
    this.ensure(4 + 10);
    const end = this.date(ymd, this.pos + 4);
    int32At(this.buf, 10, this.pos);
    this.pos = end;
    return true;
  }

  private date(ymd: number, p: number): number {
    const y = Math.floor(ymd / 10000);
    p = this.two(Math.floor(y / 100), p);
    p = this.two(y % 100, p);
    this.buf[p++] = 45;
    p = this.two(Math.floor(ymd / 100) % 100, p);
    this.buf[p++] = 45;
    return this.two(ymd % 100, p);
  }

  private lastDays = Number.NaN;
  private lastYmd: number | undefined;

  /** `civil(days)`, remembered for the next value (timestamps of one day share it). */
  private ymd(days: number): number | undefined {
    if (days !== this.lastDays) {
      this.lastDays = days;
      this.lastYmd = civil(days);
    }
    return this.lastYmd;
  }

  /** `YYYY-MM-DD HH:MM:SS[.ffffff]` (trailing zeros dropped) and `+00` for UTC; false outside 1–9999. */
  timestampCell(micros: number, utc: boolean): boolean {
    const days = Math.floor(micros / 86_400_000_000);
    const ymd = this.ymd(days);
    if (ymd === undefined) return false;
    this.ensure(4 + 32);
    let p = this.date(ymd, this.pos + 4);
    // Whole seconds of the day and microseconds, in int32 from here on.
    const rest = micros - days * 86_400_000_000;
    const secs = Math.floor(rest / 1_000_000);
    const us = (rest - secs * 1_000_000) | 0;
    const s = secs | 0;
    const h = (s / 3600) | 0;
    const m = ((s - h * 3600) / 60) | 0;
    const b = this.buf;
    b[p++] = 32;
    p = this.two(h, p);
    b[p++] = 58;
    p = this.two(m, p);
    b[p++] = 58;
    p = this.two(s - h * 3600 - m * 60, p);
    if (us > 0) {
      b[p++] = 46;
      let frac = us;
      let width = 6;
      while (frac === ((frac / 10) | 0) * 10) {
        frac = (frac / 10) | 0;
        width--;
      }
      p = this.pad(frac, width, p);
    }
    if (utc) {
      b[p++] = 43;
      b[p++] = 48;
      b[p++] = 48;
    }
    int32At(b, p - this.pos - 4, this.pos);
    this.pos = p;
    return true;
  }
}

/** A big-endian int32 at `p` (Buffer#writeInt32BE checks its arguments on every call). */
function int32At(b: Buffer, n: number, p: number): void {
  b[p] = (n >>> 24) & 0xff;
  b[p + 1] = (n >>> 16) & 0xff;
  b[p + 2] = (n >>> 8) & 0xff;
  b[p + 3] = n & 0xff;
}

const TENS = Uint8Array.from({ length: 100 }, (_, i) => 48 + Math.floor(i / 10));
const ONES = Uint8Array.from({ length: 100 }, (_, i) => 48 + (i % 10));

/** Year·10000 + month·100 + day for days since 1970-01-01 (proleptic Gregorian), years 1–9999 only. */
function civil(days: number): number | undefined {
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) return undefined;
  return y * 10000 + m * 100 + d;
}

/** Writes the cell of row `r` of one column. */
type CellWriter = (out: DataRowBuffer, r: number) => void;

const TWO_32 = 4294967296;

/**
 * Int64 values as numbers without a BigInt per value: the two 32-bit halves, or undefined when
 * the value is beyond 2^53 (the caller falls back).
 */
function int64Reader(data: Uint8Array, n: number): (r: number) => number | undefined {
  const halves = new Int32Array(data.buffer, data.byteOffset, n * 2);
  return (r) => {
    const hi = halves[2 * r + 1]!;
    if (hi >= 2097152 || hi < -2097152) return undefined;
    return hi * TWO_32 + (halves[2 * r]! >>> 0);
  };
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i);

/** A writer for one column of one chunk: the fast path for its type, or the value encoder. */
function columnWriter(
  chunk: DuckDBDataChunk,
  col: number,
  type: DuckDBType,
  encoder: Encoder,
  text: boolean,
): CellWriter {
  const n = chunk.rowCount;
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, col);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8) as
    Uint8Array | null | undefined;
  let items: ReturnType<DuckDBDataChunk['getColumnVector']> | undefined;
  const slow: CellWriter = (out, r) => {
    items ??= chunk.getColumnVector(col);
    const v = items.getItem(r);
    if (v === null || v === undefined) out.nullCell();
    else {
      const e = encoder(v);
      if (typeof e === 'string') out.stringCell(e);
      else out.bytesCell(e);
    }
  };
  const withNulls = (w: CellWriter): CellWriter =>
    validity ? (out, r) => ((validity[r >> 3]! >> (r & 7)) & 1 ? w(out, r) : out.nullCell()) : w;
  if (!text) return slow;
  const data = (bytes: number) => duckdb.vector_get_data(vector, n * bytes);
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT: {
      const d = data(1);
      const a = new Int8Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => out.intCell(a[r]!));
    }
    case DuckDBTypeId.UTINYINT: {
      const d = data(1);
      return withNulls((out, r) => out.intCell(d[r]!));
    }
    case DuckDBTypeId.SMALLINT: {
      const d = data(2);
      const a = new Int16Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => out.intCell(a[r]!));
    }
    case DuckDBTypeId.USMALLINT: {
      const d = data(2);
      const a = new Uint16Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => out.intCell(a[r]!));
    }
    case DuckDBTypeId.INTEGER: {
      const d = data(4);
      const a = new Int32Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => out.intCell(a[r]!));
    }
    case DuckDBTypeId.UINTEGER: {
      const d = data(4);
      const a = new Uint32Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => out.intCell(a[r]!));
    }
    case DuckDBTypeId.BIGINT: {
      const read = int64Reader(data(8), n);
      return withNulls((out, r) => {
        const v = read(r);
        if (v === undefined) slow(out, r);
        else out.intCell(v);
      });
    }
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as DuckDBDecimalType;
      const pow = POW10[scale]!;
      if (width <= 4) {
        const d = data(2);
        const a = new Int16Array(d.buffer, d.byteOffset, n);
        return withNulls((out, r) => out.decimalCell(a[r]!, scale, pow));
      }
      if (width <= 9) {
        const d = data(4);
        const a = new Int32Array(d.buffer, d.byteOffset, n);
        return withNulls((out, r) => out.decimalCell(a[r]!, scale, pow));
      }
      if (width <= 18) {
        const read = int64Reader(data(8), n);
        return withNulls((out, r) => {
          const v = read(r);
          if (v === undefined) slow(out, r);
          else out.decimalCell(v, scale, pow);
        });
      }
      return slow;
    }
    case DuckDBTypeId.DOUBLE: {
      const d = data(8);
      const a = new Float64Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => {
        const x = a[r]!;
        if (!out.floatCell(x)) out.asciiCell(float8Text(x));
      });
    }
    case DuckDBTypeId.BOOLEAN: {
      const d = data(1);
      return withNulls((out, r) => out.asciiCell(d[r] ? 't' : 'f'));
    }
    case DuckDBTypeId.DATE: {
      const d = data(4);
      const a = new Int32Array(d.buffer, d.byteOffset, n);
      return withNulls((out, r) => {
        if (!out.dateCell(a[r]!)) slow(out, r);
      });
    }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const read = int64Reader(data(8), n);
      const utc = type.typeId === DuckDBTypeId.TIMESTAMP_TZ;
      return withNulls((out, r) => {
        const v = read(r);
        if (v === undefined || !out.timestampCell(v, utc)) slow(out, r);
      });
    }
    case DuckDBTypeId.VARCHAR: {
      // string_t: a 4-byte length, then the bytes inline (≤ 12) or a prefix and a pointer.
      const d = data(16);
      const view = new DataView(d.buffer, d.byteOffset, n * 16);
      return withNulls((out, r) => {
        const off = r * 16;
        const len = view.getUint32(off, true);
        if (len <= 12) out.inlineCell(d, off + 4, len);
        else
          out.bytesCell(
            duckdb.get_data_from_pointer(d.buffer as ArrayBuffer, d.byteOffset + off + 8, len),
          );
      });
    }
    default:
      return slow;
  }
}

/**
 * Writes rows `from`…`to` (exclusive) of a chunk as DataRow messages. `text[c]` says whether
 * column c is sent in text format and may take the fast path; `encoders[c]` is its value
 * encoder (used for everything else).
 */
export function writeChunkRows(
  out: DataRowBuffer,
  chunk: DuckDBDataChunk,
  types: readonly DuckDBType[],
  encoders: readonly Encoder[],
  text: readonly boolean[],
  from: number,
  to: number,
): void {
  const writers = types.map((t, c) => columnWriter(chunk, c, t, encoders[c]!, text[c]!));
  const cols = writers.length;
  for (let r = from; r < to; r++) {
    out.ensure(7);
    const start = out.pos;
    out.buf[start] = 0x44; // 'D'
    out.buf[start + 5] = cols >> 8;
    out.buf[start + 6] = cols & 0xff;
    out.pos = start + 7;
    for (let c = 0; c < cols; c++) writers[c]!(out, r);
    int32At(out.buf, out.pos - start - 1, start + 1);
  }
}
