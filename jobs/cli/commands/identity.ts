import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { evaluateIdentity } from '../../../identity/evaluate.ts';
import { explainPair } from '../../../identity/explain.ts';
import {
  formatCustomer,
  formatEvaluation,
  formatExplanation,
  formatOverrides,
} from '../../../identity/format.ts';
import { identityStep } from '../../../identity/identity-step.ts';
import {
  clearOverride,
  listOverrides,
  setOverride,
  type OverrideKind,
} from '../../../identity/overrides.ts';
import { identitySettings } from '../../../identity/settings.ts';
import { requestRetrain } from '../../../identity/model-state.ts';
import { showCustomer } from '../../../identity/show-customer.ts';
import type { Queryable, Warehouse } from '../../../foundation/duckdb-client.ts';
import type { CdwConfig } from '../../../foundation/config-types.ts';
import { callControl } from '../../serve/control.ts';
import { openForReading } from '../read-access.ts';
import { withWriteAccess } from '../write-access.ts';
import { runPipeline } from '../../pipeline.ts';
import { cliProgress, cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { exitCodeFor, printSummary } from './run.ts';
import { JobError } from '../../errors.ts';

const json = (v: unknown) =>
  `${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2)}\n`;

/** Reads identity tables: the file read-only, or a read session in the `cdw serve` that owns it. */
async function withReader<T>(config: CdwConfig, fn: (wh: Queryable) => Promise<T>): Promise<T> {
  const access = (await openForReading(config.warehouse.path, { session: true }))!;
  try {
    if (!(await access.wh.tableExists('identity', 'overrides')))
      throw new JobError(
        'not_ready',
        'the warehouse has no identity tables yet; run "cdw run" first',
      );
    return await fn(access.wh);
  } finally {
    await access.close();
  }
}

/** Writes an override: on the file under the lock, or through the `cdw serve` that owns it. */
async function writeOverride<T>(
  config: CdwConfig,
  local: (wh: Warehouse) => Promise<T>,
  remote: { method: 'POST' | 'DELETE'; body: Record<string, unknown> },
): Promise<T> {
  return withWriteAccess(config, 'identity-override', local, async (controlUrl) => {
    const r = await callControl(controlUrl, remote.method, '/identity/overrides', remote.body);
    const body = r.body as { error?: string; removed?: boolean } | null;
    if (r.status !== 200) throw new JobError('server_refused', body?.error ?? `${r.status}`);
    return body?.removed as T;
  });
}

/** `cdw identity …`: run matching alone, overrides, explanations, a customer's links, evaluation. */
export function registerIdentity(program: Command, io: CliIO): void {
  const identity = program.command('identity');
  const config = (cmd: Command) => readConfig(io, cmd.optsWithGlobals<GlobalOptions>());

  identity
    .command('run')
    .description(
      'match the records now in staging and assign customer ids (the identity step alone)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const summary = await runPipeline(readConfig(io, g), {
        trigger: 'identity',
        logger: cliLogger(io, g),
        progress: cliProgress(io),
        steps: [identityStep],
      });
      printSummary(io, summary);
      io.exitCode = exitCodeFor(summary);
    });

  const decide = (name: string, kind: OverrideKind, what: string) =>
    identity
      .command(`${name} <recordA> <recordB>`)
      .description(`${what}; records are source.table:key; applied from the next run on`)
      .option('--reason <text>', 'why (kept with the override)')
      .option('--by <name>', 'who decided')
      .action(
        async (a: string, b: string, opts: { reason?: string; by?: string }, cmd: Command) => {
          const decision = { reason: opts.reason, by: opts.by ?? io.env.USER };
          await writeOverride(config(cmd), (wh) => setOverride(wh, a, b, kind, decision), {
            method: 'POST',
            body: { a, b, kind, ...decision },
          });
          io.out.write(
            `${kind.replace('_', '-')} recorded: ${a} ${kind === 'must_link' ? '=' : '≠'} ${b} (takes effect at the next run)\n`,
          );
        },
      );
  decide('link', 'must_link', 'say two records are the same person (must-link)');
  decide('unlink', 'cannot_link', 'say two records are different people (cannot-link)');

  identity
    .command('retrain')
    .description(
      'train the matching model again at the next identity run (cdw run, or cdw identity run now) instead of scoring with the kept one',
    )
    .option('--by <name>', 'who asked')
    .action(async (opts: { by?: string }, cmd: Command) => {
      const by = opts.by ?? io.env.USER;
      // on the file under the lock, or through the `cdw serve` that owns it
      await withWriteAccess(
        config(cmd),
        'identity-retrain',
        (wh) => requestRetrain(wh, by),
        async (controlUrl) => {
          const r = await callControl(controlUrl, 'POST', '/identity/retrain', { by });
          const body = r.body as { error?: string } | null;
          if (r.status !== 200) throw new JobError('server_refused', body?.error ?? `${r.status}`);
        },
      );
      io.out.write(
        'retraining requested: the next identity run (cdw run, or cdw identity run now) trains the model again\n',
      );
    });

  identity
    .command('clear <recordA> <recordB>')
    .description('remove the override between two records')
    .action(async (a: string, b: string, _opts: unknown, cmd: Command) => {
      const removed = await writeOverride(config(cmd), (wh) => clearOverride(wh, a, b), {
        method: 'DELETE',
        body: { a, b },
      });
      io.out.write(
        removed
          ? `override between ${a} and ${b} removed\n`
          : `there was no override between ${a} and ${b}\n`,
      );
    });

  identity
    .command('overrides')
    .description('list must-link and cannot-link overrides')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const rows = await withReader(config(cmd), (wh) => listOverrides(wh));
      io.out.write(opts.json ? json(rows) : formatOverrides(rows));
    });

  identity
    .command('explain <recordA> <recordB>')
    .description('each comparison level and weight of two records, the total and the decision')
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }, cmd: Command) => {
      const cfg = config(cmd);
      const settings = identitySettings(cfg.identity);
      const e = await withReader(cfg, (wh) => explainPair(wh, a, b, settings));
      io.out.write(opts.json ? json(e) : formatExplanation(e));
    });

  identity
    .command('show <customerId>')
    .description("a customer's records and the links that hold them together (any id ever issued)")
    .option('--json', 'print JSON')
    .action(async (idText: string, opts: { json?: boolean }, cmd: Command) => {
      if (!/^\d{1,18}$/.test(idText))
        throw new JobError('usage', `customer id must be a whole number, got "${idText}"`);
      const v = await withReader(config(cmd), (wh) => showCustomer(wh, Number(idText)));
      io.out.write(opts.json ? json(v) : formatCustomer(v));
    });

  identity
    .command('evaluate')
    .description(
      'compare customer ids with a truth file: pairwise and B-cubed precision/recall/F1, worst merges and splits',
    )
    .requiredOption(
      '--truth <file>',
      'CSV with party_uid, person_id (or entity_id/truth_id) and optionally household_id',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { truth: string; json?: boolean }, cmd: Command) => {
      if (!existsSync(opts.truth)) throw new JobError('usage', `no truth file at ${opts.truth}`);
      // the server reads the file itself: give it a path that does not depend on our cwd
      const truth = path.resolve(opts.truth);
      const e = await withReader(config(cmd), (wh) => evaluateIdentity(wh, truth));
      io.out.write(opts.json ? json(e) : formatEvaluation(e));
    });
}
