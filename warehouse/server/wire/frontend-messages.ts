/**
 * Framing and parsing of frontend (client) messages. Before start-up a packet has no type
 * byte; after it, every message is `type, int32 length, body`.
 */

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_3 = 196608;

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly pid: number; readonly secret: number }
  | { readonly kind: 'startup'; readonly version: number; readonly params: Record<string, string> };

export interface FrontendMessage {
  readonly type: string;
  readonly body: Buffer;
}

/** PostgreSQL's limits: a start-up packet, a message before authentication, any message. */
export const MAX_STARTUP_PACKET = 10_000;
export const MAX_AUTH_MESSAGE = 65_535;
export const MAX_MESSAGE = 1024 * 1024 * 1024 - 1;

/** A frame that breaks the protocol (bad length, too large); the connection is closed. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

/**
 * Accumulates socket data and yields whole packets/messages. A length over the current limit
 * is refused as soon as the header arrives, before the body is read; chunks are joined once
 * per message, so a large message costs its size, not its size times its number of chunks.
 */
export class MessageBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  /** The largest message accepted now (small before authentication). */
  limit = MAX_AUTH_MESSAGE;

  push(data: Buffer): void {
    this.chunks.push(data);
    this.length += data.length;
  }

  /** The first `n` bytes as one buffer (joins only the chunks it needs). */
  private head(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    let have = 0;
    let k = 0;
    while (have < n) have += this.chunks[k++]!.length;
    const joined = Buffer.concat(this.chunks.slice(0, k));
    this.chunks.splice(0, k, joined);
    return joined;
  }

  private take(n: number): Buffer {
    const out = this.head(n).subarray(0, n);
    const first = this.chunks[0]!;
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.length -= n;
    return out;
  }

  /** The next start-up packet (length-prefixed, no type byte), if complete. */
  nextStartup(): Buffer | undefined {
    if (this.length < 4) return undefined;
    const len = this.head(4).readInt32BE(0);
    if (len < 8 || len > MAX_STARTUP_PACKET)
      throw new ProtocolViolation('invalid length of startup packet');
    if (this.length < len) return undefined;
    return this.take(len).subarray(4);
  }

  /** The next typed message, if complete. */
  next(): FrontendMessage | undefined {
    if (this.length < 5) return undefined;
    const h = this.head(5);
    const len = h.readInt32BE(1);
    if (len < 4 || len > this.limit) throw new ProtocolViolation('invalid message length');
    if (this.length < 1 + len) return undefined;
    const type = String.fromCharCode(h[0]!);
    const body = this.take(1 + len).subarray(5);
    return { type, body };
  }
}

export function parseStartup(packet: Buffer): StartupPacket {
  const code = packet.readInt32BE(0);
  if (code === SSL_REQUEST) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST)
    return { kind: 'cancel', pid: packet.readInt32BE(4), secret: packet.readInt32BE(8) };
  const params: Record<string, string> = {};
  const r = new BodyReader(packet.subarray(4));
  for (;;) {
    const key = r.cstring();
    if (key === '') break;
    params[key] = r.cstring();
  }
  return { kind: 'startup', version: code, params };
}

/** Sequential reader over a message body. */
export class BodyReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new Error('unterminated string in message');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  /** A C string, or undefined when the body has no terminating zero. */
  cstringOrUndefined(): string | undefined {
    return this.buf.indexOf(0, this.pos) < 0 ? undefined : this.cstring();
  }

  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  byte(): string {
    return String.fromCharCode(this.buf[this.pos++]!);
  }

  bytes(n: number): Buffer {
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }
}

/** Parse ('P'): statement name, SQL, declared parameter type OIDs (0 = unspecified). */
export function parseParse(body: Buffer): { name: string; sql: string; paramTypes: number[] } {
  const r = new BodyReader(body);
  const name = r.cstring();
  const sql = r.cstring();
  const n = r.int16();
  const paramTypes: number[] = [];
  for (let i = 0; i < n; i++) paramTypes.push(r.uint32());
  return { name, sql, paramTypes };
}

/** Bind ('B'): portal, statement, parameter values with their formats, result formats. */
export function parseBind(body: Buffer): {
  portal: string;
  statement: string;
  paramFormats: number[];
  params: (Buffer | null)[];
  resultFormats: number[];
} {
  const r = new BodyReader(body);
  const portal = r.cstring();
  const statement = r.cstring();
  const nf = r.int16();
  const paramFormats: number[] = [];
  for (let i = 0; i < nf; i++) paramFormats.push(r.int16());
  const np = r.int16();
  const params: (Buffer | null)[] = [];
  for (let i = 0; i < np; i++) {
    const len = r.int32();
    params.push(len < 0 ? null : Buffer.from(r.bytes(len)));
  }
  const nr = r.int16();
  const resultFormats: number[] = [];
  for (let i = 0; i < nr; i++) resultFormats.push(r.int16());
  return { portal, statement, paramFormats, params, resultFormats };
}

/** Describe ('D') / Close ('C'): kind 'S' statement or 'P' portal, and its name. */
export function parseTarget(body: Buffer): { kind: 'S' | 'P'; name: string } {
  const r = new BodyReader(body);
  const kind = r.byte();
  if (kind !== 'S' && kind !== 'P') throw new Error(`invalid describe/close target ${kind}`);
  return { kind, name: r.cstring() };
}

/** Execute ('E'): portal and row limit (0 = all). */
export function parseExecute(body: Buffer): { portal: string; maxRows: number } {
  const r = new BodyReader(body);
  return { portal: r.cstring(), maxRows: r.int32() };
}
