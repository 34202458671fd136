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

/**
 * The server's control endpoint, on loopback only: `cdw run`, `cdw user` and the read commands
 * (`status`, `sources`, `sql`, `customer show`) use it when the server owns the warehouse. The URL (with its token) is written in the warehouse lock file,
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
      });
      return reply(res, 200, summary);
    }
    if (req.method === 'POST' && url.pathname === '/query') {
      const instance = opts.instance();
      if (!instance) return reply(res, 503, { error: 'the server is still starting' });
      const b = await readBody(req);
      if (typeof b.sql !== 'string') return reply(res, 400, { error: 'sql must be a string' });
      const params = Array.isArray(b.params) ? (b.params as DuckDBValue[]) : undefined;
      try {
        return reply(res, 200, await readOnlyQuery(instance, b.sql, params, res));
      } catch (err) {
        return reply(res, 400, { error: errorMessage(err) });
      }
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
      }
      return reply(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/users/') && req.method === 'DELETE') {
      await setGrants(conn, decodeURIComponent(url.pathname.slice(7)), []);
      return reply(res, 200, {
        removed: await removeUser(conn, decodeURIComponent(url.pathname.slice(7))),
      });
    }
    return reply(res, 404, { error: 'no such endpoint' });
  }
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/#${token}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs one statement on a connection of its own in a READ ONLY transaction (committed state; a
 * statement that writes fails). The query is interrupted when the client goes away (Ctrl-C).
 */
async function readOnlyQuery(
  instance: DuckDBInstance,
  sql: string,
  params: DuckDBValue[] | undefined,
  res: http.ServerResponse,
): Promise<WireResult> {
  const conn = await instance.connect();
  const gone = () => conn.interrupt();
  res.once('close', gone);
  try {
    await conn.run('BEGIN TRANSACTION READ ONLY');
    await conn.run("SET search_path = 'public,main'").catch(() => undefined);
    const reader = await conn.runAndReadAll(sql, params);
    const result: WireResult = {
      columns: reader.columnNames(),
      types: reader.columnTypes().map((t) => t.toString()),
      rows: reader.getRowsJS().map((r) => r.map(encodeValue)),
      text: reader.getRows().map((r) => r.map(displayText)),
    };
    await conn.run('COMMIT');
    return result;
  } finally {
    res.off('close', gone);
    conn.closeSync();
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
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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
