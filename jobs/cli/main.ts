import { Command, CommanderError } from 'commander';
import { CdwError, ConfigError, InternalError, LockError } from '../../foundation/errors.ts';
import type { CliIO } from './context.ts';
import { registerRun, EXIT } from './commands/run.ts';
import { registerStatus } from './commands/status.ts';
import { registerCheck } from './commands/check.ts';
import { registerDemo } from './commands/demo.ts';
import { registerSql, sqlArgv } from './commands/sql.ts';
import { registerServe } from './commands/serve.ts';
import { registerUser } from './commands/user.ts';
import { registerIdentity } from './commands/identity.ts';
import { registerCustomer } from './commands/customer.ts';
import { registerReport } from './commands/report.ts';
import { registerSources } from './commands/sources.ts';

/** Builds the `cdw` program; commands register themselves from their own files. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('cdw')
    .description(
      'cdw — customer data warehouse: nightly loads from every system, one profile per customer, SQL and PostgreSQL-protocol access',
    )
    .option('-c, --config <file>', 'config file', 'cdw.yaml')
    .option('-v, --verbose', 'more log lines')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride();
  registerRun(program, io);
  registerStatus(program, io);
  registerCheck(program, io);
  registerDemo(program, io);
  registerSql(program, io);
  registerServe(program, io);
  registerUser(program, io);
  registerIdentity(program, io);
  registerCustomer(program, io);
  registerReport(program, io);
  registerSources(program, io);
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
  const program = buildProgram(cli);
  try {
    await program.parseAsync(sqlArgv(argv));
    return cli.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (err instanceof ConfigError) {
      cli.err.write(`${err.message}\n`);
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
