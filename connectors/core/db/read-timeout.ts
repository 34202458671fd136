import type { Socket } from 'node:net';

/** The error a stalled read fails with; the connector's error translation names the setting. */
export class ReadStalledError extends Error {
  readonly code = 'CDW_READ_STALLED';

  constructor(readonly ms: number) {
    super(`no data from the server for ${seconds(ms)}`);
    this.name = 'ReadStalledError';
  }
}

/** Lets a connector say when it holds the server back itself (a paused result stream). */
export interface ReadGuard {
  hold(held: boolean): void;
}

/**
 * Fails a connection whose server has sent nothing for `ms` while cdw waits for it: a network
 * that drops packets without resetting the connection (a firewall, a VPN gone away) would
 * otherwise hold the night forever. Quiet time that cdw causes is no stall: bytes received but
 * not yet taken (back-pressure while DuckDB lands the previous batch fills the socket's buffer),
 * or a hold the connector declared. The socket is destroyed with a `ReadStalledError`, which
 * fails the running query; the load is then retried.
 */
export function guardReads(socket: Socket, ms: number): ReadGuard {
  let held = false;
  socket.setTimeout(ms);
  socket.on('timeout', () => {
    if (socket.destroyed) return;
    if (held || socket.readableLength > 0) {
      // Held back by us, not stalled: look again after another period.
      socket.setTimeout(ms);
      return;
    }
    socket.destroy(new ReadStalledError(ms));
  });
  return {
    hold(h) {
      held = h;
      // The quiet time starts when the reader asks again, not when it last looked.
      if (!h && !socket.destroyed) socket.setTimeout(ms);
    },
  };
}

/** What to tell the user about a stalled read (no row values: there are none in it). */
export function stalledText(err: ReadStalledError): string {
  return `${err.message} (connection.read_timeout_ms); check the network and the server, or raise read_timeout_ms for a query that computes long before its first row`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
