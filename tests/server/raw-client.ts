import net from 'node:net';

/** A backend message as a raw client reads it. */
export interface RawMessage {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * A bare TCP client speaking just enough of the protocol to misbehave before logging in:
 * it sends what the test writes and collects what the server answers.
 */
export class RawClient {
  readonly socket: net.Socket;
  private data = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        resolve();
        this.wake();
      }),
    );
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends a start-up packet for protocol 3.0 with these parameters. */
  startup(params: Record<string, string>): void {
    const body = Buffer.concat([
      ...Object.entries(params).flatMap(([k, v]) => [Buffer.from(`${k}\0${v}\0`)]),
      Buffer.from([0]),
    ]);
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + body.length, 0);
    head.writeInt32BE(196608, 4);
    this.socket.write(Buffer.concat([head, body]));
  }

  /** Sends a typed message. */
  message(type: string, body: Buffer): void {
    const head = Buffer.alloc(5);
    head[0] = type.charCodeAt(0);
    head.writeInt32BE(4 + body.length, 1);
    this.socket.write(Buffer.concat([head, body]));
  }

  /** The next whole message; undefined if the server closed the connection first. */
  async next(): Promise<RawMessage | undefined> {
    for (;;) {
      if (this.data.length >= 5) {
        const len = this.data.readInt32BE(1);
        if (this.data.length >= 1 + len) {
          const m = {
            type: String.fromCharCode(this.data[0]!),
            body: this.data.subarray(5, 1 + len),
          };
          this.data = this.data.subarray(1 + len);
          return m;
        }
      }
      if (this.socket.destroyed || this.socket.readableEnded) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Reads messages until an ErrorResponse; returns its fields (C = code, M = message). */
  async error(): Promise<Record<string, string> | undefined> {
    for (;;) {
      const m = await this.next();
      if (!m) return undefined;
      if (m.type === 'E') return errorFields(m.body);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    out[code] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return out;
}
