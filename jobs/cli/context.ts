import { streamLogger, type Logger } from '../../foundation/logger.ts';
import { loadConfig } from '../config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';

/** Options every command takes. */
export interface GlobalOptions {
  config: string;
  verbose?: boolean;
}

export interface CliIO {
  readonly out: NodeJS.WriteStream;
  readonly err: NodeJS.WriteStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Set by a command that finished but must report failure (partial run, failed check). */
  exitCode: number;
}

export function cliLogger(io: CliIO, opts: { verbose?: boolean }): Logger {
  return streamLogger(io.err, { verbose: opts.verbose });
}

export function readConfig(io: CliIO, opts: GlobalOptions): CdwConfig {
  return loadConfig(opts.config, { env: io.env });
}
