import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadStalledError, guardReads } from '../../connectors/core/db/read-timeout.ts';

// A real TCP connection: a server that sends when told, a client socket under the guard.
async function pair() {
  let peer: net.Socket | undefined;
  const server = net.createServer((s) => {
    peer = s;
    s.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  while (peer === undefined) await new Promise((r) => setTimeout(r, 5));
  const closed = new Promise<Error | undefined>((resolve) => {
    let err: Error | undefined;
    client.on('error', (e) => (err = e));
    client.on('close', () => resolve(err));
  });
  return {
    server,
    client,
    peer: peer,
    closed,
    close: () =>
      new Promise<void>((r) => (client.destroy(), peer?.destroy(), server.close(() => r()))),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('read timeout', () => {
  it('destroys a connection whose server goes quiet while the reader waits, with a ReadStalledError', async () => {
    const p = await pair();
    cleanup = p.close;
    guardReads(p.client, 150);
    p.client.on('data', () => undefined);
    p.peer.write('some rows\n');
    const err = await p.closed;
    expect(err).toBeInstanceOf(ReadStalledError);
    expect(err?.message).toBe('no data from the server for 0.15 s');
  });

  it('is no stall while the reader holds the stream back itself, or has bytes it has not taken yet', async () => {
    const p = await pair();
    cleanup = p.close;
    const guard = guardReads(p.client, 100);
    let stalled = false;
    void p.closed.then((e) => (stalled = e instanceof ReadStalledError));
    // Declared hold (a paused result stream): quiet for 4 periods.
    guard.hold(true);
    await sleep(400);
    expect(stalled).toBe(false);
    // Back-pressure: bytes arrived but nobody reads them (a paused socket with a full buffer).
    p.client.pause();
    p.peer.write(Buffer.alloc(4096));
    while (p.client.readableLength === 0) await sleep(5);
    guard.hold(false);
    await sleep(400);
    expect(stalled).toBe(false);
    expect(p.client.destroyed).toBe(false);
    // Taking the bytes and waiting for more that never come is a stall.
    p.client.resume();
    p.client.on('data', () => undefined);
    expect(await p.closed).toBeInstanceOf(ReadStalledError);
  });
});
