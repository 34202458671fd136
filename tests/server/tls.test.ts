import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, psql, startServed, type Served } from './server-fixture.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({ tls: true });
});
afterAll(async () => {
  await s?.close();
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
});
