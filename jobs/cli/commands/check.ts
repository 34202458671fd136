import type { Command } from 'commander';
import pLimit from 'p-limit';
import { connectorKind } from '../../../connectors/registry.ts';
import { cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('validate the config and try every source connection, one line per source')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(io, g);
      io.out.write(
        `config ${config.configPath}: ok (${config.sources.length} sources, warehouse ${config.warehouse.path})\n`,
      );
      const logger = cliLogger(io, g);
      const limit = pLimit(config.extract.parallel);
      const results = await Promise.all(
        config.sources.map((s) =>
          limit(async () => {
            if (!s.enabled) return { name: s.name, ok: true, detail: 'disabled' };
            const kind = connectorKind(s.kind);
            const r = await kind.check(s, { logger, baseDir: config.baseDir });
            return { name: s.name, ok: r.ok, detail: `${kind.describe(s)}: ${r.detail}` };
          }),
        ),
      );
      const width = Math.max(0, ...results.map((r) => r.name.length));
      for (const r of results)
        io.out.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)}  ${r.detail}\n`);
      if (results.some((r) => !r.ok)) io.exitCode = 1;
    });
}
