import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../../../foundation/duckdb-client.ts';
import { FORMATS, type OutputFormat } from '../../../warehouse/shell/output-format.ts';
import { interactiveShell, runSql } from '../../../warehouse/shell/sql-shell.ts';
import { duckdbBackend, type ShellBackend } from '../../../warehouse/shell/backend.ts';
import { LockError, errorMessage } from '../../../foundation/errors.ts';
import { callControl } from '../../serve/control.ts';
import { RemoteWarehouse } from '../../serve/remote-warehouse.ts';
import { oneOf } from '../arg-parsers.ts';
import { owningServer } from '../read-access.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';
import { maskedBackend, viewerRights } from '../../../warehouse/privacy/masked-backend.ts';

interface SqlFlags {
  command?: string;
  file?: string;
  format: OutputFormat;
  write?: boolean;
  as?: string;
}

/** The shell through the control endpoint of the server that owns the warehouse. */
function serverBackend(controlUrl: string): ShellBackend {
  const remote = new RemoteWarehouse(controlUrl);
  return {
    async query(sql, params, signal) {
      const r = await remote.query(sql, params, signal);
      return r.columns.length === 0 ? undefined : r;
    },
  };
}

/** Where the server's PostgreSQL protocol listens, as it says itself (the port in use). */
async function serverAddress(controlUrl: string, fallback: { host: string; port: number }) {
  try {
    const r = await callControl(controlUrl, 'GET', '/info');
    const l = (r.body as { listening?: { host: string; port: number } | null } | null)?.listening;
    return l ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * `cdw sql` — SQL shell and one-shot queries on the warehouse file (read-only unless --write).
 * While a `cdw serve` owns the file, statements run read-only in the server.
 */
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
    .option(
      '--as <user>',
      'see the warehouse as this server user does over the wire: an analyst reads public and marts only, personal columns masked unless granted pii',
    )
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
      const file = config.warehouse.path;
      const server = owningServer(file);
      if (server && flags.write) {
        const at = await serverAddress(server.controlUrl!, config.server);
        throw new LockError(
          `warehouse ${file} is served by a cdw server (pid ${server.pid}); DuckDB lets only that process write it. ` +
            `Connect to the server as an admin user instead: psql "host=${at.host} port=${at.port} dbname=cdw user=<name>"`,
        );
      }
      if (!server && !existsSync(file))
        throw new JobError(
          'no_warehouse',
          `no warehouse at ${file} yet; run "cdw run" or "cdw demo" first`,
        );
      const wh = server ? undefined : await Warehouse.open(file, { readOnly: !flags.write });
      try {
        if (wh) await wh.run("SET search_path = 'public,main'").catch(() => undefined);
        const direct = wh ? duckdbBackend(wh.conn) : serverBackend(server!.controlUrl!);
        if (flags.as !== undefined && flags.write)
          throw new JobError('usage', 'give --as or --write, not both');
        const backend =
          flags.as === undefined
            ? direct
            : await maskedBackend(direct, await viewerRights(direct, flags.as));
        const shellIO = { input: process.stdin, out: io.out, err: io.err };
        const opts = {
          format: flags.format,
          historyFile: path.join(io.env.HOME ?? os.homedir(), '.cdw_sql_history'),
          pager: io.env.PAGER || undefined,
        };
        if (text !== undefined) {
          if (!(await runSql(backend, text, shellIO, opts))) io.exitCode = 1;
          return;
        }
        if (server)
          io.err.write(
            `read-only, through the cdw server that owns ${path.basename(file)} (pid ${server.pid}); \\? for help, \\q to quit\n`,
          );
        else if (!flags.write)
          io.err.write(
            'read-only session (cdw sql --write to change data); \\? for help, \\q to quit\n',
          );
        await interactiveShell(backend, shellIO, {
          ...opts,
          prompt: path.basename(file).replace(/\.duckdb$/, ''),
        });
      } finally {
        wh?.close();
      }
    });
}
