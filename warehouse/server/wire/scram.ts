import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SCRAM-SHA-256 (RFC 5802 / 7677) as PostgreSQL does it, without channel binding.
 * Secrets are stored in PostgreSQL's format: `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`.
 */

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
const ITERATIONS = 4096;

export interface ScramSecret {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, data: string | Buffer): Buffer =>
  createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

export function createScramSecret(
  password: string,
  salt = randomBytes(16),
  iterations = ITERATIONS,
): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const storedKey = sha256(hmac(salted, 'Client Key'));
  const serverKey = hmac(salted, 'Server Key');
  return `${SCRAM_MECHANISM}$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

export function parseScramSecret(secret: string): ScramSecret | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(secret);
  if (!m) return undefined;
  return {
    iterations: Number(m[1]),
    salt: Buffer.from(m[2]!, 'base64'),
    storedKey: Buffer.from(m[3]!, 'base64'),
    serverKey: Buffer.from(m[4]!, 'base64'),
  };
}

/** A secret for a user that does not exist, stable per name, so probing names learns nothing. */
export function decoySecret(user: string, serverKey: Buffer): ScramSecret {
  const salt = hmac(serverKey, `salt:${user}`).subarray(0, 16);
  return {
    iterations: ITERATIONS,
    salt,
    storedKey: hmac(serverKey, `stored:${user}`),
    serverKey: hmac(serverKey, `server:${user}`),
  };
}

function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** One SCRAM exchange on the server side. */
export class ScramServer {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(private readonly secret: ScramSecret) {}

  /** Handles client-first-message; returns server-first-message. */
  start(clientFirst: string): string {
    const gs2 = clientFirst.slice(0, 2);
    if (gs2 !== 'n,' && gs2 !== 'y,')
      throw new ScramError('channel binding is not supported; connect without it');
    const second = clientFirst.indexOf(',', 2);
    if (second < 0) throw new ScramError('malformed SCRAM client-first-message');
    this.clientFirstBare = clientFirst.slice(second + 1);
    const cnonce = attributes(this.clientFirstBare).get('r');
    if (!cnonce) throw new ScramError('malformed SCRAM client-first-message');
    this.nonce = cnonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`;
    return this.serverFirst;
  }

  /** Verifies client-final-message; returns server-final-message, or undefined if the proof is wrong. */
  finish(clientFinal: string): string | undefined {
    const at = clientFinal.lastIndexOf(',p=');
    if (at < 0) throw new ScramError('malformed SCRAM client-final-message');
    const withoutProof = clientFinal.slice(0, at);
    const attrs = attributes(clientFinal);
    if (attrs.get('r') !== this.nonce) return undefined;
    const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.secret.storedKey, authMessage);
    if (proof.length !== clientSignature.length) return undefined;
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(sha256(clientKey), this.secret.storedKey)) return undefined;
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`;
  }
}

export class ScramError extends Error {}

/** PostgreSQL's stored md5 hash: 'md5' + md5(password || user). */
export function md5Secret(user: string, password: string): string {
  return `md5${createHash('md5')
    .update(password + user)
    .digest('hex')}`;
}

/** What a client sends for md5 auth given the stored hash and the salt. */
export function md5Response(storedHash: string, salt: Buffer): string {
  return `md5${createHash('md5')
    .update(Buffer.concat([Buffer.from(storedHash.slice(3)), salt]))
    .digest('hex')}`;
}
