/**
 * Logging seam. Only the CLI layer writes to the console; everything below takes a Logger.
 * Log lines carry counts, names and timings — never row values (PII).
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that collects lines, for tests that assert on what was said. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

/**
 * Writes to a stream with a timestamp; used by the CLI. `print` writes a whole line instead
 * (a progress display prints log lines above its status line).
 */
export function streamLogger(
  stream: NodeJS.WritableStream,
  opts: { verbose?: boolean; print?: (line: string) => void } = {},
): Logger {
  const print = opts.print ?? ((line: string) => stream.write(line));
  const write = (level: string, m: string) =>
    print(`${new Date().toISOString()} ${level.padEnd(5)} ${m}\n`);
  return {
    debug: (m) => (opts.verbose ? write('debug', m) : undefined),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
