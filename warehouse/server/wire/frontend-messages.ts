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

/** Accumulates socket data and yields whole packets/messages. */
export class MessageBuffer {
  private chunks: Buffer = Buffer.alloc(0);

  push(data: Buffer): void {
    this.chunks = this.chunks.length === 0 ? data : Buffer.concat([this.chunks, data]);
  }

  /** The next start-up packet (length-prefixed, no type byte), if complete. */
  nextStartup(): Buffer | undefined {
    if (this.chunks.length < 4) return undefined;
    const len = this.chunks.readInt32BE(0);
    if (len < 8 || len > 10_000) throw new Error('invalid start-up packet length');
    if (this.chunks.length < len) return undefined;
    const packet = this.chunks.subarray(4, len);
    this.chunks = this.chunks.subarray(len);
    return packet;
  }

  /** The next typed message, if complete. */
  next(): FrontendMessage | undefined {
    if (this.chunks.length < 5) return undefined;
    const len = this.chunks.readInt32BE(1);
    if (len < 4 || len > 1024 * 1024 * 1024) throw new Error('invalid message length');
    if (this.chunks.length < 1 + len) return undefined;
    const type = String.fromCharCode(this.chunks[0]!);
    const body = this.chunks.subarray(5, 1 + len);
    this.chunks = this.chunks.subarray(1 + len);
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
