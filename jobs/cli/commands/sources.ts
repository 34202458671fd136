import type { Command } from 'commander';
import { connectorKind } from '../../../connectors/registry.ts';
import {
  sourceTableStates,
  type SourceTableState,
} from '../../../connectors/core/source-report.ts';
import { formatTable } from '../../../foundation/format-table.ts';
import { openForReading } from '../read-access.ts';
import { readConfig, type CliIO, type GlobalOptions } from '../context.ts';

/** `cdw sources` — every configured source table with its extract state: cursor, last load, rows landed. */
export function registerSources(program: Command, io: CliIO): void {
  program
    .command('sources')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      const access = await openForReading(config.warehouse.path, { optional: true });
      let states: SourceTableState[];
      try {
        states = await sourceTableStates(config, access?.wh, (s) =>
          connectorKind(s.kind).describe(s),
        );
      } finally {
        await access?.close();
      }
      if (opts.json) {
        io.out.write(`${JSON.stringify(states, null, 2)}\n`);
        return;
      }
      if (states.length === 0) {
        io.out.write('no sources configured\n');
        return;
      }
      if (access === undefined)
        io.out.write(`no warehouse at ${config.warehouse.path} yet: nothing extracted\n\n`);
      const rows = states.map((s) => [
        `${s.source}.${s.table}`,
        s.kind,
        s.where,
        s.enabled ? s.mode : 'disabled',
        s.cursorColumn ?? (s.files !== null ? `${s.files} file${s.files === 1 ? '' : 's'}` : ''),
        s.lastCursor,
        s.lastLoadAt,
        s.lastLoadStatus,
        s.lastLoadRows,
        s.lastLoadRejected,
        s.rawRows,
      ]);
      io.out.write(
        `${formatTable(['table', 'kind', 'where', 'mode', 'cursor / files', 'last cursor', 'last load', 'status', 'landed', 'rejected', 'rows in raw'], rows)}\n`,
      );
      const failed = states.filter((s) => s.lastLoadStatus === 'failed');
      for (const f of failed)
        io.out.write(
          `\n${f.source}.${f.table}: last load failed: ${f.lastLoadError ?? 'no message'}`,
        );
      if (failed.length > 0) io.out.write('\n');
    });
}
