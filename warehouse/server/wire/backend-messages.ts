/**
 * Builders for PostgreSQL backend messages (protocol 3.0). Each returns one framed message;
 * `RowWriter` packs many DataRows into one buffer for throughput.
 */

/** A field of a RowDescription. */
export interface FieldDescription {
  readonly name: string;
  readonly tableOid: number;
  readonly columnAttr: number;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeModifier: number;
  /** 0 text, 1 binary */
  readonly format: number;
}

/** Fields of an ErrorResponse or NoticeResponse. */
export interface PgErrorFields {
  readonly severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
}

function frame(type: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type.charCodeAt(0);
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
}

export const msg = {
  authOk: (): Buffer => frame('R', int32(0)),
  authCleartext: (): Buffer => frame('R', int32(3)),
  authMd5: (salt: Buffer): Buffer => frame('R', Buffer.concat([int32(5), salt])),
  authSasl: (mechanisms: readonly string[]): Buffer =>
    frame('R', Buffer.concat([int32(10), ...mechanisms.map(cstr), Buffer.from([0])])),
  authSaslContinue: (data: string): Buffer =>
    frame('R', Buffer.concat([int32(11), Buffer.from(data, 'utf8')])),
  authSaslFinal: (data: string): Buffer =>
    frame('R', Buffer.concat([int32(12), Buffer.from(data, 'utf8')])),
  parameterStatus: (name: string, value: string): Buffer =>
    frame('S', Buffer.concat([cstr(name), cstr(value)])),
  backendKeyData: (pid: number, secret: number): Buffer =>
    frame('K', Buffer.concat([int32(pid), int32(secret)])),
  readyForQuery: (status: 'I' | 'T' | 'E'): Buffer => frame('Z', Buffer.from(status)),
  /** CopyOutResponse in text format for `columns` columns. */
  copyOutResponse(columns: number): Buffer {
    const b = Buffer.alloc(3 + 2 * columns);
    b.writeInt16BE(columns, 1);
    return frame('H', b);
  },
  copyData: (data: string): Buffer => frame('d', Buffer.from(data, 'utf8')),
  copyDone: (): Buffer => frame('c', Buffer.alloc(0)),
  parseComplete: (): Buffer => frame('1', Buffer.alloc(0)),
  bindComplete: (): Buffer => frame('2', Buffer.alloc(0)),
  closeComplete: (): Buffer => frame('3', Buffer.alloc(0)),
  noData: (): Buffer => frame('n', Buffer.alloc(0)),
  portalSuspended: (): Buffer => frame('s', Buffer.alloc(0)),
  emptyQuery: (): Buffer => frame('I', Buffer.alloc(0)),
  commandComplete: (tag: string): Buffer => frame('C', cstr(tag)),
  parameterDescription(oids: readonly number[]): Buffer {
    const b = Buffer.allocUnsafe(2 + 4 * oids.length);
    b.writeInt16BE(oids.length, 0);
    oids.forEach((o, i) => b.writeUInt32BE(o >>> 0, 2 + 4 * i));
    return frame('t', b);
  },
  rowDescription(fields: readonly FieldDescription[]): Buffer {
    const parts: Buffer[] = [Buffer.from([fields.length >> 8, fields.length & 0xff])];
    for (const f of fields) {
      const tail = Buffer.allocUnsafe(18);
      tail.writeUInt32BE(f.tableOid >>> 0, 0);
      tail.writeInt16BE(f.columnAttr, 4);
      tail.writeUInt32BE(f.typeOid >>> 0, 6);
      tail.writeInt16BE(f.typeSize, 10);
      tail.writeInt32BE(f.typeModifier, 12);
      tail.writeInt16BE(f.format, 16);
      parts.push(cstr(f.name), tail);
    }
    return frame('T', Buffer.concat(parts));
  },
  error: (e: PgErrorFields): Buffer => frame('E', errorBody(e)),
  notice: (e: PgErrorFields): Buffer => frame('N', errorBody(e)),
  /** Single-byte answers to SSLRequest / GSSENCRequest: 'S' or 'N' (not framed). */
  sslAnswer: (accept: boolean): Buffer => Buffer.from(accept ? 'S' : 'N'),
};

function errorBody(e: PgErrorFields): Buffer {
  const parts: Buffer[] = [];
  const add = (code: string, v: string | undefined) => {
    if (v !== undefined) parts.push(Buffer.from(code), cstr(v));
  };
  add('S', e.severity);
  add('V', e.severity);
  add('C', e.code);
  add('M', e.message);
  add('D', e.detail);
  add('H', e.hint);
  add('P', e.position === undefined ? undefined : String(e.position));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/**
 * Packs DataRow messages into one growing buffer. A cell is a string (text format), a Buffer
 * (binary format or pre-encoded) or null.
 */
export class RowWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  addRow(cells: readonly (string | Buffer | null)[]): void {
    let size = 4 + 2;
    for (const c of cells)
      size +=
        4 + (c === null ? 0 : typeof c === 'string' ? Buffer.byteLength(c, 'utf8') : c.length);
    this.ensure(1 + size);
    const b = this.buf;
    b[this.pos] = 0x44; // 'D'
    b.writeInt32BE(size, this.pos + 1);
    b.writeInt16BE(cells.length, this.pos + 5);
    let p = this.pos + 7;
    for (const c of cells) {
      if (c === null) {
        b.writeInt32BE(-1, p);
        p += 4;
      } else if (typeof c === 'string') {
        const n = b.write(c, p + 4, 'utf8');
        b.writeInt32BE(n, p);
        p += 4 + n;
      } else {
        b.writeInt32BE(c.length, p);
        c.copy(b, p + 4);
        p += 4 + c.length;
      }
    }
    this.pos = p;
  }

  /** The packed rows so far; the writer starts empty again. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}
