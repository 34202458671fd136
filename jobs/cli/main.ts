import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CdwError, ConfigError, InternalError, LockError } from '../../foundation/errors.ts';
import type { CliIO } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { COMMANDS } from './command-table.ts';
import { commandOf, sqlArgv } from './argv.ts';
import { JobError } from '../errors.ts';

/** The version in package.json (beside the sources, or one level up from the compiled dist/). */
function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'cdw' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/**
 * Builds the `cdw` program. Only the command that runs is loaded (its module and everything it
 * imports); the others are listed by name and summary, so `cdw --help` starts fast.
 */
export async function buildProgram(io: CliIO, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('cdw')
    .description(
      'cdw — customer data warehouse: nightly loads from every system, one profile per customer, SQL and PostgreSQL-protocol access',
    )
    .option('-c, --config <file>', 'config file', 'cdw.yaml')
    .option('-v, --verbose', 'more log lines')
    .version(version(), '-V, --version', 'print the version of cdw')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride();
  const wanted = commandOf(argv);
  for (const entry of COMMANDS) {
    if (entry.name === wanted || argv.length === 0) {
      (await entry.load())(program, io);
      program.commands.find((c) => c.name() === entry.name)?.description(entry.summary);
    } else {
      program.command(entry.name).description(entry.summary);
    }
  }
  return program;
}

/** Entry point: returns the process exit code; never lets a stack trace reach the user. */
export async function main(argv: readonly string[], io?: Partial<CliIO>): Promise<number> {
  const cli: CliIO = {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    exitCode: 0,
    ...io,
  };
  try {
    const args = sqlArgv(argv);
    const program = await buildProgram(cli, args);
    await program.parseAsync(args);
    return cli.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (err instanceof ConfigError || (err instanceof JobError && err.code === 'usage')) {
      cli.err.write(`${err instanceof ConfigError ? '' : 'error: '}${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof LockError) {
      cli.err.write(`error: ${err.message}\n`);
      return EXIT.locked;
    }
    if (err instanceof CdwError && !(err instanceof InternalError)) {
      cli.err.write(`error: ${err.message}\n`);
      return EXIT.failed;
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    cli.err.write(
      `error: ${message}\n(this is a bug in cdw if it keeps happening; run with CDW_DEBUG=1 for details)\n`,
    );
    if (cli.env.CDW_DEBUG && err instanceof Error) cli.err.write(`${err.stack ?? ''}\n`);
    return EXIT.failed;
  }
}
