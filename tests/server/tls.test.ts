import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, psql, startServed, type Served } from './server-fixture.ts';
import { testPort } from '../helpers/ports.ts';

let s: Served;
let strict: Served;
beforeAll(async () => {
  [s, strict] = await Promise.all([
    startServed({ tls: true }),
    startServed({ tls: true, requireTls: true, port: testPort(30) }),
  ]);
});
afterAll(async () => {
  await Promise.all([s?.close(), strict?.close()]);
});

describe('TLS', () => {
  it('serves psql over TLS when it requires it', async () => {
    const out = await psql(
      s.port,
      { ...ANALYST, sslmode: 'require' },
      'SELECT name FROM customers WHERE id = 1',
    );
    expect(out).toMatch(/Ann/);
  });

  it('with ssl: require, refuses plaintext and serves TLS', async () => {
    await expect(psql(strict.port, { ...ANALYST, sslmode: 'disable' }, 'SELECT 1')).rejects.toThrow(
      /accepts only TLS connections/,
    );
    const out = await psql(
      strict.port,
      { ...ANALYST, sslmode: 'require' },
      'SELECT name FROM customers WHERE id = 1',
    );
    expect(out).toMatch(/Ann/);
  });
});
