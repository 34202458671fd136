import net from 'node:net';

/**
 * A TCP proxy in front of a real server that breaks connections on purpose: the first
 * `dropFirst` connections are reset at once, and with `cutAfterBytes` a connection is reset
 * after that many bytes came back from the server (a failure midway through a read); with
 * `stallAfterBytes` the server's bytes stop arriving after that many while the connection stays
 * open (a network dropping packets without a reset).
 * A network fault, not a database mock: everything else is the real server.
 */
export async function faultProxy(
  target: { host: string; port: number },
  opts: {
    dropFirst?: number;
    cutAfterBytes?: number;
    cutConnections?: number;
    stallAfterBytes?: number;
    stallConnections?: number;
  } = {},
) {
  let connections = 0;
  let cuts = 0;
  let stalls = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    connections++;
    if (connections <= (opts.dropFirst ?? 0)) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    const cut =
      opts.cutAfterBytes !== undefined && cuts < (opts.cutConnections ?? 1)
        ? opts.cutAfterBytes
        : undefined;
    if (cut !== undefined) cuts++;
    const stall =
      opts.stallAfterBytes !== undefined && stalls < (opts.stallConnections ?? 1)
        ? opts.stallAfterBytes
        : undefined;
    if (stall !== undefined) stalls++;
    let seen = 0;
    upstream.on('data', (d: Buffer) => {
      seen += d.length;
      if (cut !== undefined && seen > cut) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (stall !== undefined && seen > stall) {
        upstream.pause();
        return;
      }
      // Back-pressure keeps "bytes seen" close to "bytes the client got" for cutAfterBytes.
      if (!client.write(d)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get connections() {
      return connections;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
