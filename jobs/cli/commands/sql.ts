import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../../../foundation/duckdb-client.ts';
import { FORMATS, type OutputFormat } from '../../../warehouse/shell/output-format.ts';
import { interactiveShell, runSql } from '../../../warehouse/shell/sql-shell.ts';
import { isStale, readLock } from '../../lock.ts';
import { LockError, errorMessage } from '../../../foundation/errors.ts';
import { oneOf } from '../arg-parsers.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';

interface SqlFlags {
  command?: string;
  file?: string;
  format: OutputFormat;
  write?: boolean;
}

/** `cdw sql` — SQL shell and one-shot queries on the warehouse file (read-only unless --write). */
export function registerSql(program: Command, io: CliIO): void {
  program
    .command('sql')
    .option('-c, --command <sql>', 'run these statements and exit')
    .option('-f, --file <file>', 'run the statements in a file and exit')
    .option(
      '--format <format>',
      `output: ${FORMATS.join(' | ')}`,
      oneOf('--format', FORMATS),
      'table',
    )
    .option('--write', 'open the warehouse for writing')
    .action(async (flags: SqlFlags, cmd: Command) => {
      if (flags.command !== undefined && flags.file !== undefined)
        throw new JobError('usage', 'give -c or -f, not both');
      let text = flags.command;
      if (flags.file !== undefined) {
        try {
          text = readFileSync(flags.file, 'utf8');
        } catch (err) {
          throw new JobError(
            'usage',
            `cannot read ${flags.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(err)}`,
          );
        }
      }
      const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
      const format = flags.format;
      const file = config.warehouse.path;
      if (!existsSync(file))
        throw new JobError(
          'no_warehouse',
          `no warehouse at ${file} yet; run "cdw run" or "cdw demo" first`,
        );
      const holder = readLock(file);
      if (holder && !isStale(holder) && holder.holder === 'server') {
        throw new LockError(
          `warehouse ${file} is served by a cdw server (pid ${holder.pid}); DuckDB cannot open a file another process writes. ` +
            `Connect to the server instead: psql "host=${config.server.host} port=${config.server.port} dbname=cdw user=<name>"`,
        );
      }
      const wh = await Warehouse.open(file, { readOnly: !flags.write });
      try {
        await wh.run("SET search_path = 'public,main'").catch(() => undefined);
        const shellIO = { input: process.stdin, out: io.out, err: io.err };
        const opts = {
          format,
          historyFile: path.join(io.env.HOME ?? os.homedir(), '.cdw_sql_history'),
        };
        if (text !== undefined) {
          if (!(await runSql(wh.conn, text, shellIO, opts))) io.exitCode = 1;
          return;
        }
        if (!flags.write)
          io.err.write(
            'read-only session (cdw sql --write to change data); \\? for help, \\q to quit\n',
          );
        await interactiveShell(wh.conn, shellIO, {
          ...opts,
          prompt: path.basename(file).replace(/\.duckdb$/, ''),
        });
      } finally {
        wh.close();
      }
    });
}
