import net from 'node:net';
import tls from 'node:tls';
import { randomBytes, randomInt } from 'node:crypto';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import { msg } from './wire/backend-messages.ts';
import {
  BodyReader,
  MAX_MESSAGE,
  MessageBuffer,
  PROTOCOL_3,
  ProtocolViolation,
  parseStartup,
} from './wire/frontend-messages.ts';
import {
  ScramError,
  ScramServer,
  decoySecret,
  md5Response,
  parseScramSecret,
} from './wire/scram.ts';
import { installCatalog } from './catalog/install-catalog.ts';
import { SnapshotRouter } from './snapshot-router.ts';
import { CatalogCache, WriteClock, type ServerContext } from './server-context.ts';
import { Session } from './session.ts';
import { findUser, type UserSecret } from './users.ts';
import { PgError } from './pg-error.ts';
import { DEFAULT_LIMITS, LoginGuard, type ServerLimits } from './login-guard.ts';

/** How to run a server over an open warehouse. */
export interface ServerOptions {
  readonly warehouse: Warehouse;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Refuse connections that do not negotiate TLS (needs `tls`). */
  readonly requireTls?: boolean;
  readonly logger: Logger;
  /** Connections pinned to the pre-load snapshot while a load runs (default 4). */
  readonly snapshotConnections?: number;
  /** Pre-login limits; each one left out takes PostgreSQL's default. */
  readonly limits?: Partial<ServerLimits>;
  /** The default statement_timeout of every session, in ms (0 = none). */
  readonly statementTimeoutMs?: number;
}

/** A running PostgreSQL-protocol server. */
export interface CdwServer {
  readonly host: string;
  readonly port: number;
  /** Runs `fn` (a load) while readers keep reading the state from before it. */
  runLoad<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Tells the server that a write outside a load and outside its sessions has committed (the
   * control endpoint's user changes): prepared statements planned before it are not reused.
   */
  noteWrite(): void;
  /** Sessions now connected. */
  sessionCount(): number;
  close(): Promise<void>;
}

/** Ends a connection during start-up or login with a FATAL error. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the server; the caller owns the warehouse and closes it after `close()`. */
export async function startServer(opts: ServerOptions): Promise<CdwServer> {
  const { warehouse: wh, logger } = opts;
  if (opts.requireTls && !opts.tls)
    throw new PgError('08P01', 'requiring TLS needs a certificate and key (server.tls)');
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const serverConn = await wh.connect();
  const shim = await installCatalog(serverConn);
  const writes = new WriteClock();
  const catalog = new CatalogCache(serverConn, writes);
  await catalog.refresh(true);
  const router = new SnapshotRouter(wh.instance, logger, opts.snapshotConnections ?? 4);
  const ctx: ServerContext = { instance: wh.instance, shim, router, catalog, writes, logger };
  const sessions = new Map<number, { session: Session; secret: number }>();
  const sockets = new Set<net.Socket>();
  const guard = new LoginGuard(limits);
  const decoyKey = randomBytes(32);
  let nextPid = 1000;
  /** Connections past the start-up packet: logging in or in a session. */
  let backends = 0;

  const server = net.createServer((raw) => {
    raw.setNoDelay(true);
    raw.on('error', () => undefined);
    // Sockets that have not sent a start-up packet yet count too, at twice the limit
    // (PostgreSQL's postmaster does the same), so idle sockets cannot pile up.
    if (sockets.size >= 2 * limits.maxConnections) {
      raw.end(
        msg.error({ severity: 'FATAL', code: '53300', message: 'sorry, too many clients already' }),
      );
      return;
    }
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    handleConnection(raw).catch((err: unknown) => {
      logger.debug(`connection ended: ${errorMessage(err)}`);
      raw.destroy();
    });
  });

  async function handleConnection(raw: net.Socket): Promise<void> {
    let socket: net.Socket = raw;
    const address = raw.remoteAddress ?? 'unknown';
    const buf = new MessageBuffer();
    let wake: (() => void) | undefined;
    let closed = false;
    const onData = (d: Buffer) => {
      buf.push(d);
      wake?.();
    };
    const onClose = () => {
      closed = true;
      wake?.();
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    const waitData = () => new Promise<void>((resolve) => (wake = resolve));
    const fatal = (code: string, message: string) => {
      if (!socket.destroyed) socket.end(msg.error({ severity: 'FATAL', code, message }));
    };
    // authentication_timeout: from connect to the end of the login, whatever the client does.
    let loginTimer: NodeJS.Timeout | undefined = setTimeout(() => {
      logger.warn(`login from ${address} timed out (authentication timeout)`);
      fatal('08006', 'canceling authentication due to timeout');
      raw.destroy();
    }, limits.authenticationTimeoutMs);
    let counted = false;
    try {
      // Start-up: SSL/GSS negotiation, cancel requests, the startup message.
      let params: Record<string, string> | undefined;
      let encrypted = false;
      while (!params) {
        const packet = buf.nextStartup();
        if (!packet) {
          if (closed) return;
          await waitData();
          continue;
        }
        const p = parseStartup(packet);
        if (p.kind === 'ssl') {
          if (!opts.tls || encrypted) {
            socket.write(msg.sslAnswer(false));
            continue;
          }
          socket.write(msg.sslAnswer(true));
          socket.off('data', onData);
          socket.off('close', onClose);
          const secure = new tls.TLSSocket(socket, {
            isServer: true,
            secureContext: tls.createSecureContext({ key: opts.tls.key, cert: opts.tls.cert }),
          });
          secure.on('error', () => undefined);
          secure.on('data', onData);
          secure.on('close', onClose);
          socket = secure;
          encrypted = true;
          continue;
        }
        if (p.kind === 'gssenc') {
          socket.write(msg.sslAnswer(false));
          continue;
        }
        if (p.kind === 'cancel') {
          const s = sessions.get(p.pid);
          if (s && s.secret === p.secret) s.session.cancel();
          socket.end();
          return;
        }
        if (p.version !== PROTOCOL_3)
          throw new Refusal(
            '0A000',
            `unsupported frontend protocol ${p.version >> 16}.${p.version & 0xffff}`,
          );
        params = p.params;
      }
      if (opts.requireTls && !encrypted)
        throw new Refusal(
          '28000',
          'this server accepts only TLS connections (connect with sslmode=require)',
        );
      if (backends >= limits.maxConnections)
        throw new Refusal('53300', 'sorry, too many clients already');
      backends++;
      counted = true;
      const userName = params.user ?? '';
      const database = params.database || userName;

      const nextMessage = async () => {
        for (;;) {
          const m = buf.next();
          if (m) return m;
          if (closed) return undefined;
          await waitData();
        }
      };
      const user = await authenticate(socket, userName, address, nextMessage);
      clearTimeout(loginTimer);
      loginTimer = undefined;
      if (!user || closed) return;
      buf.limit = MAX_MESSAGE;

      const pid = nextPid++;
      const secret = randomInt(1, 2 ** 31 - 1);
      const [conn, parser] = await Promise.all([wh.connect(), wh.connect()]);
      const session = new Session(socket, ctx, user, database, pid, conn, parser, params, {
        statementTimeoutMs: opts.statementTimeoutMs ?? 0,
      });
      sessions.set(pid, { session, secret });
      logger.info(`session ${pid}: ${user.name} (${user.role}) connected from ${address}`);
      try {
        socket.write(
          Buffer.concat([
            msg.authOk(),
            ...session.startupStatus(),
            msg.backendKeyData(pid, secret),
            msg.readyForQuery('I'),
          ]),
        );
        for (;;) {
          let m = buf.next();
          if (!m) {
            await session.flush();
            m = await nextMessage();
          }
          if (!m || m.type === 'X') break;
          await session.handle(m.type, m.body);
        }
        await session.flush();
      } finally {
        sessions.delete(pid);
        await session.close();
        socket.end();
        logger.info(`session ${pid}: closed`);
      }
    } catch (err) {
      if (err instanceof Refusal) fatal(err.code, err.message);
      else if (err instanceof ProtocolViolation) {
        logger.warn(`connection from ${address} closed: ${err.message}`);
        fatal('08P01', err.message);
      } else throw err;
    } finally {
      if (loginTimer) clearTimeout(loginTimer);
      if (counted) backends--;
    }
  }

  /**
   * Password authentication (SCRAM-SHA-256, or md5 for users stored that way). Returns the user,
   * or undefined after refusing. Messages and logs never carry what the client sent as a
   * password; failures are answered after a delay that grows per client address.
   */
  async function authenticate(
    socket: net.Socket,
    name: string,
    address: string,
    next: () => Promise<{ type: string; body: Buffer } | undefined>,
  ): Promise<UserSecret | undefined> {
    const failed = async (why: string): Promise<undefined> => {
      const delay = guard.failed(address);
      logger.warn(
        `authentication failed for user "${name}" from ${address}: ${why}; answered after ${(delay / 1000).toFixed(1)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      throw new Refusal('28P01', `password authentication failed for user "${name}"`);
    };
    const user = await findUser(serverConn, name);
    const scram = user?.scramSecret ? parseScramSecret(user.scramSecret) : undefined;
    if (user?.md5Hash && !scram) {
      const salt = randomBytes(4);
      socket.write(msg.authMd5(salt));
      const m = await next();
      if (!m) return undefined;
      if (m.type !== 'p') throw new Refusal('08P01', 'expected a password message');
      const given = new BodyReader(m.body).cstring();
      if (given !== md5Response(user.md5Hash, salt)) return failed('wrong password');
      guard.succeeded(address);
      return user;
    }
    // Unknown users go through the same exchange with a decoy secret and fail at the end.
    const exchange = new ScramServer(scram ?? decoySecret(name, decoyKey));
    socket.write(msg.authSasl(['SCRAM-SHA-256']));
    const first = await next();
    if (!first) return undefined;
    if (first.type !== 'p') throw new Refusal('08P01', 'expected a SASL initial response');
    const r = new BodyReader(first.body);
    // A client set up for a plain password sends it here: never repeat what came.
    const mechanism = r.remaining > 0 ? r.cstringOrUndefined() : undefined;
    if (mechanism !== 'SCRAM-SHA-256' || r.remaining < 4)
      return failed('the client did not answer with SCRAM-SHA-256');
    const len = r.int32();
    let serverFirst: string;
    try {
      serverFirst = exchange.start(r.bytes(len).toString('utf8'));
    } catch (err) {
      if (err instanceof ScramError) throw new Refusal('08P01', err.message);
      throw err;
    }
    socket.write(msg.authSaslContinue(serverFirst));
    const final = await next();
    if (!final) return undefined;
    if (final.type !== 'p') throw new Refusal('08P01', 'expected a SASL response');
    let serverFinal: string | undefined;
    try {
      serverFinal = exchange.finish(final.body.toString('utf8'));
    } catch (err) {
      if (err instanceof ScramError) throw new Refusal('08P01', err.message);
      throw err;
    }
    if (!serverFinal || !user || !scram) return failed(user ? 'wrong password' : 'no such user');
    guard.succeeded(address);
    socket.write(msg.authSaslFinal(serverFinal));
    return user;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  logger.info(`listening on ${opts.host}:${address.port}`);

  let loading: Promise<unknown> | undefined;
  return {
    host: opts.host,
    port: address.port,
    sessionCount: () => sessions.size,
    async runLoad<T>(fn: () => Promise<T>): Promise<T> {
      if (loading) throw new PgError('55006', 'a load is already running');
      const run = (async () => {
        await router.beginLoad(async () => undefined);
        try {
          return await fn();
        } finally {
          router.endLoad();
          writes.tick();
          await catalog.refresh(true).catch(() => undefined);
        }
      })();
      loading = run;
      try {
        return await run;
      } finally {
        loading = undefined;
      }
    },
    noteWrite() {
      writes.tick();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      router.endLoad();
      serverConn.closeSync();
    },
  };
}
