import type { Command } from 'commander';
import { serve } from '../../serve/serve.ts';
import { cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';
import { wholeNumber } from '../arg-parsers.ts';

interface ServeFlags {
  port?: number;
  host?: string;
  schedule?: string;
  tz?: string;
  tlsCert?: string;
  tlsKey?: string;
  ssl?: string;
}

/** `cdw serve` — the PostgreSQL-protocol server that owns the warehouse and runs nightly loads. */
export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .option(
      '--port <port>',
      'port to listen on (config server.port, default 15432; 0 picks a free one)',
      wholeNumber(0, 65535),
    )
    .option('--host <host>', 'address to listen on (config server.host, default 127.0.0.1)')
    .option(
      '--schedule <cron>',
      'run the nightly job on this cron schedule, e.g. "0 2 * * *" (config schedule.cron)',
    )
    .option(
      '--tz <zone>',
      'time zone of the schedule, e.g. Europe/Moscow (config schedule.timezone, default UTC)',
    )
    .option(
      '--tls-cert <file>',
      'TLS certificate (PEM); with --tls-key enables TLS (config server.tls)',
    )
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option(
      '--ssl <mode>',
      'prefer (TLS when the client asks) or require (refuse plaintext connections; config server.ssl)',
    )
    .action(async (flags: ServeFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      const logger = cliLogger(io, g);
      const port = flags.port ?? config.server.port;
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
        throw new JobError('usage', 'give both --tls-cert and --tls-key, or neither');
      if (flags.ssl !== undefined && flags.ssl !== 'prefer' && flags.ssl !== 'require')
        throw new JobError('usage', `--ssl takes prefer or require, not "${flags.ssl}"`);
      const cron = flags.schedule ?? config.schedule?.cron;
      const tls =
        flags.tlsCert && flags.tlsKey
          ? { cert: flags.tlsCert, key: flags.tlsKey }
          : config.server.tls;
      const requireTls =
        flags.ssl === undefined ? config.server.requireTls : flags.ssl === 'require';
      if (requireTls && !tls)
        throw new JobError('usage', '--ssl require needs --tls-cert and --tls-key (or server.tls)');
      const s = await serve(config, {
        host: flags.host ?? config.server.host,
        port,
        schedule: cron
          ? { cron, timezone: flags.tz ?? config.schedule?.timezone ?? 'UTC' }
          : undefined,
        tls,
        requireTls,
        logger,
      });
      io.out.write(
        `cdw serving ${config.warehouse.path} on ${s.server.host}:${s.server.port}${tls ? (requireTls ? ' (TLS required)' : ' (TLS)') : ''}\n`,
      );
      io.out.write(
        `connect: psql "host=${s.server.host} port=${s.server.port} dbname=cdw user=<name>"  (users: cdw user add NAME --role analyst)\n`,
      );
      if (s.schedule)
        io.out.write(
          `nightly run scheduled "${cron}"; next at ${s.schedule.next?.toISOString() ?? 'never'}\n`,
        );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.out.write('stopping\n');
      await s.stop();
    });
}
