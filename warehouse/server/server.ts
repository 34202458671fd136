import net from 'node:net';
import tls from 'node:tls';
import { randomBytes, randomInt } from 'node:crypto';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import { msg } from './wire/backend-messages.ts';
import { BodyReader, MessageBuffer, PROTOCOL_3, parseStartup } from './wire/frontend-messages.ts';
import { ScramServer, decoySecret, md5Response, parseScramSecret } from './wire/scram.ts';
import { installCatalog } from './catalog/install-catalog.ts';
import { SnapshotRouter } from './snapshot-router.ts';
import { CatalogCache, type ServerContext } from './server-context.ts';
import { Session } from './session.ts';
import { findUser, type UserSecret } from './users.ts';
import { PgError } from './pg-error.ts';

/** How to run a server over an open warehouse. */
export interface ServerOptions {
  readonly warehouse: Warehouse;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly logger: Logger;
  /** Connections pinned to the pre-load snapshot while a load runs (default 4). */
  readonly snapshotConnections?: number;
}

/** A running PostgreSQL-protocol server. */
export interface CdwServer {
  readonly host: string;
  readonly port: number;
  /** Runs `fn` (a load) while readers keep reading the state from before it. */
  runLoad<T>(fn: () => Promise<T>): Promise<T>;
  /** Sessions now connected. */
  sessionCount(): number;
  close(): Promise<void>;
}

/** Starts the server; the caller owns the warehouse and closes it after `close()`. */
export async function startServer(opts: ServerOptions): Promise<CdwServer> {
  const { warehouse: wh, logger } = opts;
  const serverConn = await wh.connect();
  const shim = await installCatalog(serverConn);
  const catalog = new CatalogCache(serverConn);
  await catalog.refresh(true);
  const router = new SnapshotRouter(wh.instance, logger, opts.snapshotConnections ?? 4);
  const ctx: ServerContext = { instance: wh.instance, shim, router, catalog, logger };
  const sessions = new Map<number, { session: Session; secret: number }>();
  const sockets = new Set<net.Socket>();
  const decoyKey = randomBytes(32);
  let nextPid = 1000;

  const server = net.createServer((raw) => {
    raw.setNoDelay(true);
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
    handleConnection(raw).catch((err: unknown) => {
      logger.debug(`connection ended: ${errorMessage(err)}`);
      raw.destroy();
    });
  });

  async function handleConnection(raw: net.Socket): Promise<void> {
    let socket: net.Socket = raw;
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

    // Start-up: SSL/GSS negotiation, cancel requests, the startup message.
    let params: Record<string, string> | undefined;
    while (!params) {
      const packet = buf.nextStartup();
      if (!packet) {
        if (closed) return;
        await waitData();
        continue;
      }
      const p = parseStartup(packet);
      if (p.kind === 'ssl') {
        if (!opts.tls) {
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
      if (p.version !== PROTOCOL_3) {
        socket.end(
          msg.error({
            severity: 'FATAL',
            code: '0A000',
            message: `unsupported frontend protocol ${p.version >> 16}.${p.version & 0xffff}`,
          }),
        );
        return;
      }
      params = p.params;
    }
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
    const user = await authenticate(socket, userName, nextMessage);
    if (!user) return;

    const pid = nextPid++;
    const secret = randomInt(1, 2 ** 31 - 1);
    const [conn, parser] = await Promise.all([wh.connect(), wh.connect()]);
    const session = new Session(socket, ctx, user, database, pid, conn, parser, params);
    sessions.set(pid, { session, secret });
    logger.info(`session ${pid}: ${user.name} (${user.role}) connected`);
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
  }

  async function authenticate(
    socket: net.Socket,
    name: string,
    next: () => Promise<{ type: string; body: Buffer } | undefined>,
  ): Promise<UserSecret | undefined> {
    const refuse = (
      code = '28P01',
      message = `password authentication failed for user "${name}"`,
    ) => {
      socket.end(msg.error({ severity: 'FATAL', code, message }));
      return undefined;
    };
    const user = await findUser(serverConn, name);
    const scram = user?.scramSecret ? parseScramSecret(user.scramSecret) : undefined;
    if (user?.md5Hash && !scram) {
      const salt = randomBytes(4);
      socket.write(msg.authMd5(salt));
      const m = await next();
      if (!m || m.type !== 'p') return refuse('08P01', 'expected a password message');
      const given = new BodyReader(m.body).cstring();
      return given === md5Response(user.md5Hash, salt) ? user : refuse();
    }
    // Unknown users go through the same exchange with a decoy secret and fail at the end.
    const exchange = new ScramServer(scram ?? decoySecret(name, decoyKey));
    socket.write(msg.authSasl(['SCRAM-SHA-256']));
    const first = await next();
    if (!first || first.type !== 'p') return refuse('08P01', 'expected a SASL initial response');
    const r = new BodyReader(first.body);
    const mechanism = r.cstring();
    if (mechanism !== 'SCRAM-SHA-256')
      return refuse('28000', `SASL mechanism ${mechanism} is not supported`);
    const len = r.int32();
    let serverFirst: string;
    try {
      serverFirst = exchange.start(r.bytes(len).toString('utf8'));
    } catch (err) {
      return refuse('08P01', errorMessage(err));
    }
    socket.write(msg.authSaslContinue(serverFirst));
    const final = await next();
    if (!final || final.type !== 'p') return refuse('08P01', 'expected a SASL response');
    const serverFinal = exchange.finish(final.body.toString('utf8'));
    if (!serverFinal || !user || !scram) {
      logger.warn(`authentication failed for a user${user ? '' : ' that does not exist'}`);
      return refuse();
    }
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
