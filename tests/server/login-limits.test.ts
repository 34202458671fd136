import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { memoryLogger } from '../../foundation/logger.ts';
import { ADMIN, ANALYST, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';
import { RawClient } from './raw-client.ts';

// Limits small enough to reach in a test; each is a setting of cdw.yaml's server block.
const logger = memoryLogger();
let s: Served;
beforeAll(async () => {
  s = await startServed({
    logger,
    port: testPort(10),
    configText: `server:
  max_connections: 4
  authentication_timeout: 3s
  failed_login_delay: 100ms
  statement_timeout: 300ms
`,
  });
});
afterAll(async () => {
  await s?.close();
});

function client(who: { user: string; password: string }): pg.Client {
  return new pg.Client({
    host: '127.0.0.1',
    port: s.port,
    user: who.user,
    password: who.password,
    database: 'cdw',
  });
}

describe('before login', () => {
  it('refuses a 48 MiB password message at its header while another session keeps answering', async () => {
    const other = client(ANALYST);
    await other.connect();
    try {
      const raw = await RawClient.connect(s.port);
      raw.startup({ user: ANALYST.user, database: 'cdw' });
      const sasl = await raw.next();
      expect(sasl?.type).toBe('R');
      // The header announces 48 MiB; the body follows in chunks as a flood would.
      const size = 48 * 1024 * 1024;
      const head = Buffer.alloc(5);
      head[0] = 'p'.charCodeAt(0);
      head.writeInt32BE(4 + size, 1);
      raw.socket.write(head);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 48 && !raw.socket.destroyed; i++) raw.socket.write(chunk);
      const err = await raw.error();
      expect(err?.C).toBe('08P01');
      expect(err?.M).toBe('invalid message length');
      await raw.closed;
      const r = await other.query('SELECT 1 AS one');
      expect(r.rows).toEqual([{ one: 1 }]);
    } finally {
      await other.end();
    }
  });

  it('refuses a start-up packet over 10000 bytes', async () => {
    const raw = await RawClient.connect(s.port);
    raw.startup({ user: ANALYST.user, application_name: 'x'.repeat(20_000) });
    const err = await raw.error();
    expect(err?.C).toBe('08P01');
    await raw.closed;
  });

  it('closes connections that do not finish logging in within authentication_timeout', async () => {
    const silent = await Promise.all([1, 2, 3].map(() => RawClient.connect(s.port)));
    const stalled = await RawClient.connect(s.port);
    stalled.startup({ user: ANALYST.user, database: 'cdw' });
    expect((await stalled.next())?.type).toBe('R');
    // Nothing more is sent: the server ends all four by itself (the test would time out otherwise).
    await Promise.all([...silent, stalled].map((c) => c.closed));
    expect(
      logger.lines.filter((l) => /timed out \(authentication timeout\)/.test(l)).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('answers 53300 beyond max_connections and takes new sessions again when one leaves', async () => {
    const open = [client(ANALYST), client(ANALYST), client(ADMIN), client(ANALYST)];
    await Promise.all(open.map((c) => c.connect()));
    try {
      const extra = client(ANALYST);
      const err = await extra.connect().then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(err?.code).toBe('53300');
      expect(err?.message).toMatch(/too many clients/);
      await open.pop()!.end();
      const again = client(ANALYST);
      await again.connect();
      open.push(again);
      expect((await again.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await Promise.all(open.map((c) => c.end()));
    }
  });
});

describe('failed logins', () => {
  it('are answered later and later, logged with user and address but never the password', async () => {
    const guesses = ['guess-one-A', 'guess-two-B', 'guess-three-C', 'guess-four-D'];
    const before = logger.lines.length;
    const started = Date.now();
    for (const password of guesses) {
      const c = client({ user: ANALYST.user, password });
      const err = await c.connect().then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      await c.end().catch(() => undefined);
      expect(err?.code).toBe('28P01');
      expect(err?.message).not.toMatch(/guess-/);
    }
    // 0.1 + 0.2 + 0.4 + 0.8 s of delay at least (a lower bound only: never flaky).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const lines = logger.lines.slice(before).filter((l) => /authentication failed/.test(l));
    expect(lines.map((l) => /answered after ([\d.]+) s/.exec(l)?.[1])).toEqual([
      '0.1',
      '0.2',
      '0.4',
      '0.8',
    ]);
    for (const l of lines) expect(l).toContain(`user "${ANALYST.user}" from 127.0.0.1`);
    expect(logger.lines.join('\n')).not.toMatch(/guess-/);
    // A good login starts the count over.
    const ok = client(ANALYST);
    await ok.connect();
    await ok.end();
    const c = client({ user: 'nobody_here', password: 'guess-five-E' });
    await expect(c.connect()).rejects.toMatchObject({ code: '28P01' });
    await c.end().catch(() => undefined);
    expect(logger.lines.at(-1)).toMatch(
      /user "nobody_here" from 127\.0\.0\.1: no such user; answered after 0\.1 s/,
    );
  });

  it('never repeat a password sent where the SCRAM exchange was expected', async () => {
    const raw = await RawClient.connect(s.port);
    raw.startup({ user: ANALYST.user, database: 'cdw' });
    expect((await raw.next())?.type).toBe('R');
    raw.message('p', Buffer.from('Cleartext-Secret-42\0'));
    const err = await raw.error();
    expect(err?.C).toBe('28P01');
    expect(JSON.stringify(err)).not.toContain('Cleartext-Secret-42');
    expect(logger.lines.join('\n')).not.toContain('Cleartext-Secret-42');
    await raw.closed;
  });
});

describe('statement_timeout', () => {
  it('is the server default from the config and interrupts the DuckDB query', async () => {
    const c = client(ANALYST);
    await c.connect();
    try {
      expect((await c.query('SHOW statement_timeout')).rows).toEqual([
        { statement_timeout: '300' },
      ]);
      // A trillion pairs: only the timeout ends it.
      await expect(
        c.query('SELECT sum(a.x * b.y) AS s FROM range(1000000) a(x), range(1000000) b(y)'),
      ).rejects.toMatchObject({
        code: '57014',
        message: 'canceling statement due to statement timeout',
      });
      expect((await c.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
      // SET changes it for the session; a parameterised (extended protocol) query is bound too.
      await c.query("SET statement_timeout = '1s'");
      expect((await c.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '1s' }]);
      await expect(
        c.query(
          'SELECT sum(a.x * b.y) + $1::BIGINT AS s FROM range(1000000) a(x), range(1000000) b(y)',
          [1],
        ),
      ).rejects.toMatchObject({ code: '57014' });
      await expect(c.query("SET statement_timeout = 'soon'")).rejects.toMatchObject({
        code: '55P02',
      });
      await c.query('SET statement_timeout = 0');
      expect((await c.query('SELECT count(*)::INTEGER AS n FROM range(1000)')).rows).toEqual([
        { n: 1000 },
      ]);
    } finally {
      await c.end();
    }
  });
});
