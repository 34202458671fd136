import os from 'node:os';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { errorMessage } from '../../../foundation/errors.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import type { Logger } from '../../../foundation/logger.ts';
import { callControl } from '../../serve/control.ts';
import { JobError } from '../../errors.ts';
import { withWriteAccess } from '../write-access.ts';
import { cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';
import { eraseRequests, liftErasure, listErasures } from '../../privacy/erase-requests.ts';
import type { ErasureOutcome } from '../../privacy/erase-requests.ts';

async function remoteCall(url: string, method: string, route: string, body?: unknown) {
  const r = await callControl(url, method, route, body);
  if (r.status !== 200) {
    const msg = (r.body as { error?: string } | null)?.error ?? `status ${r.status}`;
    throw new JobError('server_refused', `the server refused: ${msg}`);
  }
  return r.body;
}

/** The ids of a bulk request file: one customer id or `source.table:key` per line, # comments. */
function readRequestFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new JobError('usage', `cannot read ${file}: ${errorMessage(err)}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}

export function registerCustomerErase(customer: Command, io: CliIO): void {
  customer
    .command('erase [id]')
    .description(
      'erase a person on request (GDPR art. 17): their personal data in every layer, reports rewritten; totals kept; later loads of their records arrive erased',
    )
    .requiredOption(
      '--reason <text>',
      'why (e.g. the request ticket); kept in the erasure ledger — no personal data',
    )
    .option(
      '--file <file>',
      'a file of customer ids or source records (source.table:key), one per line',
    )
    .action(
      async (id: string | undefined, opts: { reason: string; file?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        const requests = [
          ...(id === undefined ? [] : [id]),
          ...(opts.file ? readRequestFile(opts.file) : []),
        ];
        if (requests.length === 0)
          throw new JobError(
            'usage',
            'give a customer id, or --file with one id or source.table:key per line',
          );
        if (opts.reason.trim() === '') throw new JobError('usage', '--reason must not be empty');
        const config = readConfig(io, g);
        const logger: Logger = cliLogger(io, g);
        const requestedBy = os.userInfo().username;
        const outcomes = await withWriteAccess<ErasureOutcome[]>(
          config,
          'cdw-customer-erase',
          (wh) => eraseRequests(wh, config, requests, opts.reason, requestedBy, logger),
          async (url) =>
            (await remoteCall(url, 'POST', '/erasures', {
              requests,
              reason: opts.reason,
              requestedBy,
            })) as ErasureOutcome[],
        );
        for (const o of outcomes) {
          if (o.error !== undefined) {
            io.err.write(`${o.request}: ${o.error}\n`);
            io.exitCode = 1;
            continue;
          }
          const layers = Object.entries(o.rowsByLayer ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
          io.out.write(
            o.already
              ? `${o.request}: customer ${o.customerId} was already erased (${o.erasureId}); completed what was left\n`
              : `${o.request}: customer ${o.customerId} erased (${o.erasureId}; ids ${o.customerIds?.join(', ')}): ${layers}\n`,
          );
        }
      },
    );

  customer
    .command('erasures')
    .description('the erasure ledger: who asked, when, which customer, rows per layer')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
      const rows = await withWriteAccess(
        config,
        'cdw-customer-erase',
        (wh) => listErasures(wh),
        async (url) =>
          (await remoteCall(url, 'GET', '/erasures')) as Awaited<ReturnType<typeof listErasures>>,
      );
      io.out.write(
        `${formatTable(
          ['erasure', 'customer', 'requested', 'by', 'status', 'reason', 'rows', 'lifted'],
          rows.map((r) => [
            r.erasure_id,
            r.customer_id,
            r.requested_at,
            r.requested_by,
            r.status,
            r.reason,
            r.rows_by_layer,
            r.lifted_at,
          ]),
        )}\n`,
      );
    });

  customer
    .command('lift <erasure>')
    .description(
      'lift an erasure (an admin, e.g. the person asked to come back): later loads of their records are no longer erased; what was erased stays erased',
    )
    .requiredOption('--reason <text>', 'why; kept in the ledger')
    .action(async (erasureId: string, opts: { reason: string }, cmd: Command) => {
      const config = readConfig(io, cmd.optsWithGlobals<GlobalOptions>());
      const by = os.userInfo().username;
      const lifted = await withWriteAccess(
        config,
        'cdw-customer-erase',
        (wh) => liftErasure(wh, erasureId, by, opts.reason),
        async (url) =>
          (
            (await remoteCall(url, 'POST', `/erasures/${encodeURIComponent(erasureId)}/lift`, {
              by,
              reason: opts.reason,
            })) as { lifted: boolean }
          ).lifted,
      );
      if (!lifted)
        throw new JobError(
          'erasure_not_found',
          `no erasure ${erasureId} in force (see "cdw customer erasures")`,
        );
      io.out.write(
        `erasure ${erasureId} lifted: later loads of those records are no longer erased\n`,
      );
    });
}
