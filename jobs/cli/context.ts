import { streamLogger, type Logger } from '../../foundation/logger.ts';
import { streamProgress, type StreamProgress } from '../../foundation/progress.ts';
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

const displays = new WeakMap<CliIO, StreamProgress>();

/** The progress display of this command on its error stream (one per command run). */
export function cliProgress(io: CliIO): StreamProgress {
  let p = displays.get(io);
  if (p === undefined) {
    p = streamProgress(io.err);
    displays.set(io, p);
  }
  return p;
}

/** The command's logger: its lines go above the progress line, never onto it. */
export function cliLogger(io: CliIO, opts: { verbose?: boolean }): Logger {
  const progress = cliProgress(io);
  return streamLogger(io.err, { verbose: opts.verbose, print: (line) => progress.print(line) });
}

export function readConfig(io: CliIO, opts: GlobalOptions): CdwConfig {
  return loadConfig(opts.config, { env: io.env });
}
