import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverSource } from '../../config/init/discover.ts';
import { initConfigText } from '../../config/init/write-config.ts';
import type { CliIO, GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';

/**
 * `cdw init NAME=URL|PATH …` — a commented cdw.yaml for the user's own sources: reads each
 * database's tables and columns and each file's header, guesses entities, keys, cursors and
 * mappings, and names the preset the tables resemble.
 */
export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .argument(
      '<sources...>',
      'NAME=URL (postgres://…, mysql://…) or NAME=PATH (a folder or a glob of CSV, JSON lines or log files)',
    )
    .option('--force', 'replace an existing config file')
    .option('--only <glob>', 'only database tables whose schema.table matches, e.g. "sales.*"')
    .addHelpText(
      'after',
      '\nExample:\n  cdw init billing=postgres://cdw@db.internal/billing shop=exports/ web=/var/log/nginx/access.log\n  cdw check && cdw run\n',
    )
    .action(async (args: string[], opts: { force?: boolean; only?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const file = path.resolve(g.config);
      const dir = path.dirname(file);
      const found = [];
      for (const arg of args) {
        const s = await discoverSource(arg, dir, { only: opts.only });
        io.err.write(
          `${s.name}: ${s.kind.kind}, ${s.tables.length} table${s.tables.length === 1 ? '' : 's'}\n`,
        );
        found.push(s);
      }
      const names = found.map((s) => s.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice !== undefined) throw new JobError('usage', `source name ${twice} is given twice`);
      if (existsSync(file) && !opts.force)
        throw new JobError(
          'usage',
          `${g.config} exists; give --force to replace it, or --config NEW.yaml`,
        );
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, initConfigText(found), 'utf8');
      io.out.write(
        `${g.config} written: ${found.length} source${found.length === 1 ? '' : 's'}, ${found.reduce((n, s) => n + s.tables.length, 0)} tables.\nRead it, then: cdw${g.config === 'cdw.yaml' ? '' : ` --config ${g.config}`} check\n`,
      );
    });
}
