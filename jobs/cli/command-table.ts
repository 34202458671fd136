import type { Command } from 'commander';
import type { CliIO } from './context.ts';

/** A command of `cdw`: its name and what it does, and the module that registers it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Loaded only when the command runs (or its own --help is asked): `cdw --help` stays fast. */
  readonly load: () => Promise<(program: Command, io: CliIO) => void>;
}

/**
 * Every command, in the order `cdw --help` lists them. Adding one: `commands/<name>.ts`
 * exporting `register<Name>(program, io)`, and one entry here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary:
      'write a commented cdw.yaml for your own sources (reads their tables, columns and headers)',
    load: async () => (await import('./commands/init.ts')).registerInit,
  },
  {
    name: 'run',
    summary:
      'run the nightly pipeline once: extract → transform → identity → profiles → marts → reports',
    load: async () => (await import('./commands/run.ts')).registerRun,
  },
  {
    name: 'status',
    summary: 'recent runs, their steps and the source schema changes they found',
    load: async () => (await import('./commands/status.ts')).registerStatus,
  },
  {
    name: 'check',
    summary:
      'validate the config and try every source: connections, files, and the columns each mapping names; each problem with its config path and line',
    load: async () => (await import('./commands/check.ts')).registerCheck,
  },
  {
    name: 'demo',
    summary:
      'generate a demo company (billing, ERP, POS, web, contact centre) and run the nightly job on it, night by night',
    load: async () => (await import('./commands/demo.ts')).registerDemo,
  },
  {
    name: 'sql',
    summary:
      'SQL on the warehouse: interactive shell (\\d, \\dt, \\dn, \\x, \\timing, \\q), or -c / -f; read-only unless --write',
    load: async () => (await import('./commands/sql.ts')).registerSql,
  },
  {
    name: 'serve',
    summary:
      'serve the warehouse over the PostgreSQL protocol (psql, JDBC, BI tools); owns the file and runs scheduled loads',
    load: async () => (await import('./commands/serve.ts')).registerServe,
  },
  {
    name: 'user',
    summary: 'users of the PostgreSQL-protocol server (cdw serve)',
    load: async () => (await import('./commands/user.ts')).registerUser,
  },
  {
    name: 'identity',
    summary: 'identity resolution: one persistent customer id per person',
    load: async () => (await import('./commands/identity.ts')).registerIdentity,
  },
  {
    name: 'customer',
    summary: 'look at one customer: profile, history, source records',
    load: async () => (await import('./commands/customer.ts')).registerCustomer,
  },
  {
    name: 'report',
    summary:
      'write a report file, the HTML overview, or a campaign, prospect or cross-sell list (see "cdw report list")',
    load: async () => (await import('./commands/report.ts')).registerReport,
  },
  {
    name: 'sources',
    summary: 'configured sources and tables with their state: last cursor, last load, rows landed',
    load: async () => (await import('./commands/sources.ts')).registerSources,
  },
];
