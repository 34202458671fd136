import type { Command } from 'commander';
import {
  addUser,
  isRole,
  listUsers,
  removeUser,
  ROLES,
  type UserInfo,
} from '../../../warehouse/server/users.ts';
import { callControl } from '../../serve/control.ts';
import { readPassword } from '../../../warehouse/shell/read-password.ts';
import { type CdwError } from '../../../foundation/errors.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { JobError } from '../../errors.ts';
import { withWriteAccess } from '../write-access.ts';
import { allGrants, GRANTS, isGrant, setGrants } from '../../../warehouse/privacy/grants.ts';

const collect = (v: string, all: string[]) => [...all, v];

function remoteError(r: { status: number; body: unknown }): CdwError {
  const msg = (r.body as { error?: string } | null)?.error ?? `status ${r.status}`;
  return new JobError('server_refused', `the server refused: ${msg}`);
}

export function registerUser(program: Command, io: CliIO): void {
  const user = program.command('user');

  user
    .command('add <name>')
    .description('add a user, or set the password and role of an existing one')
    .requiredOption('--role <role>', `${ROLES.join(' | ')}`)
    .option('--password-stdin', 'read the password from standard input instead of prompting')
    .option('--md5', 'also store an md5 hash, for old clients without SCRAM-SHA-256')
    .option(
      '--grant <grant>',
      `grant beyond the role (repeatable; the user's grants become exactly these): ${GRANTS.join(', ')} — pii: an analyst sees personal columns in full instead of masked`,
      collect,
      [],
    )
    .action(
      async (
        name: string,
        opts: { role: string; passwordStdin?: boolean; md5?: boolean; grant: string[] },
        cmd: Command,
      ) => {
        if (!isRole(opts.role))
          throw new JobError('invalid_role', `--role must be one of ${ROLES.join(', ')}`);
        for (const g of opts.grant)
          if (!isGrant(g))
            throw new JobError('usage', `--grant must be one of ${GRANTS.join(', ')}, got "${g}"`);
        const role = opts.role;
        const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
        const password = await readPassword(process.stdin, io.err, {
          fromStdin: opts.passwordStdin === true,
          prompt: `password for ${name}: `,
        });
        await withWriteAccess(
          config,
          'cdw-user',
          async (wh) => {
            await addUser(wh.conn, name, role, password, { md5: opts.md5 });
            await setGrants(wh.conn, name, opts.grant);
          },
          async (url) => {
            const r = await callControl(url, 'POST', '/users', {
              name,
              role,
              password,
              md5: opts.md5 === true,
              grants: opts.grant,
            });
            if (r.status !== 200) throw remoteError(r);
          },
        );
        io.out.write(
          `user ${name} (${role}${opts.grant.length > 0 ? `, grants: ${opts.grant.join(', ')}` : ''}) saved\n`,
        );
      },
    );

  user
    .command('list')
    .description('list users and their roles')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
      const users = await withWriteAccess<(UserInfo & { grants?: string[] })[]>(
        config,
        'cdw-user',
        async (wh) => {
          const grants = await allGrants(wh.conn);
          return (await listUsers(wh.conn)).map((u) => ({
            ...u,
            grants: grants.get(u.name) ?? [],
          }));
        },
        async (url) => {
          const r = await callControl(url, 'GET', '/users');
          if (r.status !== 200) throw remoteError(r);
          return r.body as (UserInfo & { grants?: string[] })[];
        },
      );
      if (users.length === 0)
        io.out.write('no users yet; add one with "cdw user add NAME --role analyst"\n');
      else
        io.out.write(
          `${formatTable(
            ['name', 'role', 'grants', 'auth', 'created'],
            users.map((u) => [
              u.name,
              u.role,
              (u.grants ?? []).join(', '),
              u.md5 ? 'scram-sha-256, md5' : 'scram-sha-256',
              new Date(u.createdAt),
            ]),
          )}\n`,
        );
    });

  user
    .command('remove <name>')
    .description('remove a user')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
      const removed = await withWriteAccess(
        config,
        'cdw-user',
        async (wh) => {
          await setGrants(wh.conn, name, []);
          return removeUser(wh.conn, name);
        },
        async (url) => {
          const r = await callControl(url, 'DELETE', `/users/${encodeURIComponent(name)}`);
          if (r.status !== 200) throw remoteError(r);
          return (r.body as { removed: boolean }).removed;
        },
      );
      if (!removed) {
        io.err.write(`no user ${name}\n`);
        io.exitCode = 1;
      } else io.out.write(`user ${name} removed\n`);
    });
}
