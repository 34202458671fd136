import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { acquireLock } from '../lock.ts';
import type { Logger } from '../../foundation/logger.ts';
import type { PipelineStep } from '../../foundation/step.ts';
import { errorMessage } from '../../foundation/errors.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { refreshMaskedViews } from '../../warehouse/privacy/masked-views.ts';
import { migrate } from '../../foundation/migrate.ts';
import { startControl } from './control.ts';
import { LoadRunner, startSchedule, type Schedule } from './load-runner.ts';
import { startServer, type CdwServer } from '../../warehouse/server/server.ts';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly schedule?: { readonly cron: string; readonly timezone: string };
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Refuse plaintext connections (default: config `server.ssl: require`). */
  readonly requireTls?: boolean;
  readonly logger: Logger;
  /** Steps instead of the standard pipeline (tests). */
  readonly steps?: readonly PipelineStep[];
}

/** `cdw serve` running: the server, its runner, schedule and control endpoint. */
export interface Serving {
  readonly server: CdwServer;
  readonly runner: LoadRunner;
  readonly schedule: Schedule | undefined;
  readonly controlUrl: string;
  readonly warehouse: Warehouse;
  stop(): Promise<void>;
}

/**
 * Owns the warehouse: takes its lock as `server` (with the control URL), opens it read-write,
 * migrates it, serves the PostgreSQL protocol, and runs scheduled loads in-process.
 */
export async function serve(config: CdwConfig, opts: ServeOptions): Promise<Serving> {
  let runner: LoadRunner | undefined;
  let usersConn: DuckDBConnection | undefined;
  const control = await startControl({
    runner: () => runner,
    conn: () => usersConn,
    instance: () => (usersConn ? wh?.instance : undefined),
    listening: () => (server ? { host: server.host, port: server.port } : undefined),
    wrote: () => server?.noteWrite(),
    logger: opts.logger,
  });
  const lock = (() => {
    try {
      return acquireLock(config.warehouse.path, { holder: 'server', controlUrl: control.url });
    } catch (err) {
      void control.close();
      throw err;
    }
  })();
  let wh: Warehouse | undefined;
  let server: CdwServer | undefined;
  try {
    wh = await Warehouse.open(config.warehouse.path, {
      memoryLimit: config.warehouse.memoryLimit,
      threads: config.warehouse.threads,
      tempDirectory: config.warehouse.tempDirectory,
    });
    await migrate(wh);
    // analysts without the pii grant read these; a warehouse from before them gets them now
    await refreshMaskedViews(wh);
    server = await startServer({
      warehouse: wh,
      host: opts.host,
      port: opts.port,
      logger: opts.logger,
      tls: opts.tls
        ? { cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }
        : undefined,
      requireTls: opts.requireTls ?? config.server.requireTls,
      limits: {
        maxConnections: config.server.maxConnections,
        authenticationTimeoutMs: config.server.authenticationTimeoutMs,
        failedLoginDelayMs: config.server.failedLoginDelayMs,
      },
      statementTimeoutMs: config.server.statementTimeoutMs,
    });
    usersConn = await wh.connect();
    runner = new LoadRunner(config, wh, server, opts.logger, opts.steps);
    const schedule = opts.schedule
      ? startSchedule({ ...opts.schedule, runner, wh, logger: opts.logger })
      : undefined;
    schedule?.caughtUp.catch((err: unknown) =>
      opts.logger.error(`catch-up run failed: ${errorMessage(err)}`),
    );
    const owned = { wh, server, runner, usersConn };
    return {
      server,
      runner,
      schedule,
      controlUrl: control.url,
      warehouse: wh,
      async stop() {
        schedule?.stop();
        await control.close();
        await owned.runner.idle();
        await owned.server.close();
        owned.usersConn.closeSync();
        owned.wh.close();
        lock.release();
      },
    };
  } catch (err) {
    await server?.close();
    wh?.close();
    await control.close();
    lock.release();
    throw err;
  }
}
