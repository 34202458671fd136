import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { Logger } from '../../foundation/logger.ts';
import { errorMessage } from '../../foundation/errors.ts';
import type { LoadRunner } from './load-runner.ts';
import { addUser, isRole, listUsers, removeUser } from '../../warehouse/server/users.ts';
import { JobError } from '../errors.ts';
import { encodeValue, type WireResult } from './wire-values.ts';
import { displayText } from '../../warehouse/shell/backend.ts';
import { erasureRoute } from '../privacy/erasure-route.ts';
import { allGrants, setGrants } from '../../warehouse/privacy/grants.ts';
import { clearOverride, setOverride } from '../../identity/overrides.ts';
import { requestRetrain } from '../../identity/model-state.ts';

/**
 * The server's control endpoint, on loopback only: `cdw run`, `cdw user`, `cdw identity
 * link|unlink|clear` and the read commands (`status`, `sources`, `sql`, `customer show`,
 * `report`, `identity explain|show|evaluate|overrides`) use it when the server owns the warehouse. The URL (with its token) is written in the warehouse lock file,
 * which only those who can read the warehouse can read.
 */
export interface ControlEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** `runner` and `conn` are read per request: the endpoint starts before the warehouse is open. */
export async function startControl(opts: {
  runner: () => LoadRunner | undefined;
  conn: () => DuckDBConnection | undefined;
  /** The warehouse's DuckDB instance: `/query` opens a connection of its own per request. */
  instance: () => DuckDBInstance | undefined;
  /** Where the PostgreSQL protocol listens, once it does (for hints: `cdw sql --write`). */
  listening: () => { host: string; port: number } | undefined;
  /** Called after a write through `conn` (users, grants) has committed. */
  wrote: () => void;
  logger: Logger;
  host?: string;
}): Promise<ControlEndpoint> {
  const token = randomBytes(18).toString('base64url');
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, { error: errorMessage(err) }));
  });
  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const authorized = (req: http.IncomingMessage) => {
    const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  };
  const readBody = async (req: http.IncomingMessage): Promise<Record<string, unknown>> => {
    let data = '';
    for await (const chunk of req) data += String(chunk);
    return data ? (JSON.parse(data) as Record<string, unknown>) : {};
  };
  const sessions = new ReadSessions(readBody);
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!authorized(req)) return reply(res, 401, { error: 'bad or missing token' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/info')
      return reply(res, 200, { pid: process.pid, listening: opts.listening() ?? null });
    const runner = opts.runner();
    const conn = opts.conn();
    if (!runner || !conn) return reply(res, 503, { error: 'the server is still starting' });
    if (req.method === 'POST' && url.pathname === '/run') {
      if (runner.busy)
        return reply(res, 409, { error: 'a run is already in progress in the server' });
      const body = await readBody(req);
      opts.logger.info('run requested through the control endpoint');
      const summary = await runner.run(typeof body.trigger === 'string' ? body.trigger : 'server', {
        fullRefresh: body.fullRefresh === true,
        select: Array.isArray(body.select)
          ? body.select.filter((n): n is string => typeof n === 'string')
          : undefined,
      });
      return reply(res, 200, summary);
    }
    if (req.method === 'POST' && url.pathname === '/query') {
      const instance = opts.instance();
      if (!instance) return reply(res, 503, { error: 'the server is still starting' });
      const b = await readBody(req);
      if (typeof b.sql !== 'string') return reply(res, 400, { error: 'sql must be a string' });
      const params = Array.isArray(b.params) ? (b.params as DuckDBValue[]) : undefined;
      const session = await ReadSession.open(instance);
      try {
        return reply(res, 200, await session.query(b.sql, params, res));
      } catch (err) {
        return reply(res, 400, { error: errorMessage(err) });
      } finally {
        session.close();
      }
    }
    if (url.pathname === '/sessions' || url.pathname.startsWith('/sessions/')) {
      const instance = opts.instance();
      if (!instance) return reply(res, 503, { error: 'the server is still starting' });
      return reply(
        res,
        ...(await sessions.route(req.method ?? 'GET', url.pathname, instance, req, res)),
      );
    }
    if (url.pathname === '/identity/overrides')
      return reply(
        res,
        ...(await overridesRoute(req.method ?? 'GET', await readBody(req), runner, opts.logger)),
      );
    if (url.pathname === '/identity/retrain' && req.method === 'POST') {
      const body = await readBody(req);
      opts.logger.info('identity retraining asked through the control endpoint');
      try {
        await runner.write((wh) =>
          requestRetrain(wh, typeof body.by === 'string' && body.by !== '' ? body.by : undefined),
        );
      } catch (err) {
        return reply(res, 400, { error: errorMessage(err) });
      } finally {
        opts.wrote();
      }
      return reply(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/erasures'))
      return reply(
        res,
        ...(await erasureRoute(
          req.method ?? 'GET',
          url.pathname,
          await readBody(req),
          runner,
          opts.logger,
        )),
      );
    if (url.pathname === '/users' && req.method === 'GET') {
      const grants = await allGrants(conn);
      const users = await listUsers(conn);
      return reply(
        res,
        200,
        users.map((u) => ({ ...u, grants: grants.get(u.name) ?? [] })),
      );
    }
    if (url.pathname === '/users' && req.method === 'POST') {
      const b = await readBody(req);
      const text = (v: unknown): string => (typeof v === 'string' ? v : '');
      const role = text(b.role);
      if (!isRole(role)) return reply(res, 400, { error: 'role must be analyst or admin' });
      try {
        await addUser(conn, text(b.name), role, text(b.password), {
          md5: b.md5 === true,
        });
        await setGrants(conn, text(b.name), Array.isArray(b.grants) ? b.grants.map(text) : []);
      } catch (err) {
        return reply(res, 400, { error: errorMessage(err) });
      } finally {
        opts.wrote();
      }
      return reply(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/users/') && req.method === 'DELETE') {
      try {
        await setGrants(conn, decodeURIComponent(url.pathname.slice(7)), []);
        return reply(res, 200, {
          removed: await removeUser(conn, decodeURIComponent(url.pathname.slice(7))),
        });
      } finally {
        opts.wrote();
      }
    }
    return reply(res, 404, { error: 'no such endpoint' });
  }
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/#${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        sessions.closeAll();
        server.close(() => resolve());
      }),
  };
}

/**
 * A connection of its own in a READ ONLY transaction: it reads the committed state as of its
 * start, may make temp tables, and fails any statement that would write the warehouse.
 */
class ReadSession {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(instance: DuckDBInstance): Promise<ReadSession> {
    const conn = await instance.connect();
    try {
      await conn.run('BEGIN TRANSACTION READ ONLY');
      await conn.run("SET search_path = 'public,main'").catch(() => undefined);
    } catch (err) {
      conn.closeSync();
      throw err;
    }
    return new ReadSession(conn);
  }

  /** One statement; interrupted when the client goes away (Ctrl-C). */
  async query(
    sql: string,
    params: DuckDBValue[] | undefined,
    res: http.ServerResponse,
  ): Promise<WireResult> {
    const gone = () => this.conn.interrupt();
    res.once('close', gone);
    try {
      const reader = await this.conn.runAndReadAll(sql, params);
      return {
        columns: reader.columnNames(),
        types: reader.columnTypes().map((t) => t.toString()),
        rows: reader.getRowsJS().map((r) => r.map(encodeValue)),
        text: reader.getRows().map((r) => r.map(displayText)),
      };
    } finally {
      res.off('close', gone);
    }
  }

  close(): void {
    this.conn.closeSync();
  }
}

/** How long a read session may sit unused before the server closes it (a client that died). */
const SESSION_IDLE_MS = 10 * 60_000;
/** Read sessions open at once; more are refused (each holds a connection and a snapshot). */
const MAX_SESSIONS = 16;

/**
 * Read sessions for the read commands that need several statements over one snapshot with temp
 * tables (`cdw report`, `cdw identity explain|show|evaluate|overrides`):
 * `POST /sessions` opens one, `POST /sessions/<id>/query` runs a statement in it,
 * `DELETE /sessions/<id>` ends it. Unused sessions end after SESSION_IDLE_MS.
 */
class ReadSessions {
  private readonly open = new Map<string, { session: ReadSession; timer: NodeJS.Timeout }>();

  constructor(
    private readonly readBody: (req: http.IncomingMessage) => Promise<Record<string, unknown>>,
  ) {}

  async route(
    method: string,
    pathname: string,
    instance: DuckDBInstance,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<[number, unknown]> {
    if (method === 'POST' && pathname === '/sessions') {
      if (this.open.size >= MAX_SESSIONS)
        return [503, { error: `${MAX_SESSIONS} read sessions are open; try again when one ends` }];
      const id = randomBytes(9).toString('base64url');
      this.open.set(id, { session: await ReadSession.open(instance), timer: this.idleTimer(id) });
      return [200, { id }];
    }
    const m = /^\/sessions\/([\w-]+)(\/query)?$/.exec(pathname);
    const entry = m ? this.open.get(m[1]!) : undefined;
    if (!m || !entry) return [404, { error: 'no such read session (it may have timed out)' }];
    if (method === 'DELETE' && !m[2]) {
      this.end(m[1]!);
      return [200, { ok: true }];
    }
    if (method !== 'POST' || !m[2]) return [404, { error: 'no such endpoint' }];
    const b = await this.readBody(req);
    if (typeof b.sql !== 'string') return [400, { error: 'sql must be a string' }];
    clearTimeout(entry.timer);
    entry.timer = this.idleTimer(m[1]!);
    try {
      const params = Array.isArray(b.params) ? (b.params as DuckDBValue[]) : undefined;
      return [200, await entry.session.query(b.sql, params, res)];
    } catch (err) {
      return [400, { error: errorMessage(err) }];
    }
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.end(id);
  }

  private end(id: string): void {
    const entry = this.open.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(id);
    entry.session.close();
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const t = setTimeout(() => this.end(id), SESSION_IDLE_MS);
    t.unref();
    return t;
  }
}

/**
 * `cdw identity link|unlink|clear` inside `cdw serve`: the override is written like a load
 * (never beside one). Returns [HTTP status, body].
 */
async function overridesRoute(
  method: string,
  body: Record<string, unknown>,
  runner: LoadRunner,
  logger: Logger,
): Promise<[number, unknown]> {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  try {
    if (method === 'POST') {
      const kind = text(body.kind);
      if (kind !== 'must_link' && kind !== 'cannot_link')
        return [400, { error: 'kind must be must_link or cannot_link' }];
      logger.info(`identity override (${kind}) asked through the control endpoint`);
      await runner.write((wh) =>
        setOverride(wh, text(body.a), text(body.b), kind, {
          reason: text(body.reason) || undefined,
          by: text(body.by) || undefined,
        }),
      );
      return [200, { ok: true }];
    }
    if (method === 'DELETE')
      return [
        200,
        { removed: await runner.write((wh) => clearOverride(wh, text(body.a), text(body.b))) },
      ];
    return [404, { error: 'no such endpoint' }];
  } catch (err) {
    return [400, { error: errorMessage(err) }];
  }
}

/** Calls a server's control endpoint (the URL from its lock file). Waits as long as a run takes. */
export async function callControl(
  controlUrl: string,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  const u = new URL(controlUrl);
  const token = u.hash.slice(1);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          // a DELETE is not sent chunked: without a length its body would not be framed
          ...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
        },
        signal,
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString('utf8')));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: data ? (JSON.parse(data) as unknown) : null,
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      },
    );
    req.on('error', (err) =>
      reject(
        new JobError(
          'server_unreachable',
          `the cdw server that owns the warehouse does not answer at ${u.host}: ${errorMessage(err)}`,
          { cause: err },
        ),
      ),
    );
    req.end(payload);
  });
}
