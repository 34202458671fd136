/**
 * Row values across the control endpoint as JSON: dates keep being dates, big integers keep
 * their digits. Used by the server (encode) and by the CLI reading through it (decode).
 */
export function encodeValue(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : { $bigint: v.toString() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  return v;
}

export function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
    if (keys.length === 1 && typeof o.$bigint === 'string') return BigInt(o.$bigint);
    if (keys.length === 1 && typeof o.$bytes === 'string')
      return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
    return Object.fromEntries(keys.map((k) => [k, decodeValue(o[k])]));
  }
  return v;
}

/** A result as it crosses the endpoint: column names, DuckDB type names, rows as arrays. */
export interface WireResult {
  readonly columns: readonly string[];
  readonly types: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** The values as DuckDB prints them (null for NULL), for the shell. */
  readonly text: readonly (readonly (string | null)[])[];
}
