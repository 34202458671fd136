import type { Command } from 'commander';
import pLimit from 'p-limit';
import { connectorKind } from '../../../connectors/registry.ts';
import type { CheckProblem } from '../../../connectors/types.ts';
import type { CdwConfig } from '../../../foundation/config-types.ts';
import { configLocator } from '../../config/load.ts';
import { cliLogger, readConfig, type CliIO, type GlobalOptions } from '../context.ts';

/** `sources[1].tables[0].mapping.email` — where a problem a source check found is in the config. */
function problemPath(config: CdwConfig, sourceIndex: number, p: CheckProblem): string {
  const source = config.sources[sourceIndex]!;
  const at = `sources[${sourceIndex}]`;
  if (p.table === undefined) return `${at}.${p.key}`;
  const t = source.tables.findIndex((x) => x.name === p.table);
  return t < 0 ? `${at}.${p.key}` : `${at}.tables[${t}].${p.key}`;
}

export function registerCheck(program: Command, io: CliIO): void {
  program.command('check').action(async (_opts: unknown, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const config = readConfig(io, g);
    const locate = configLocator(config.configPath);
    const where = (p: string) => `${p} (line ${locate(p).line})`;
    if (config.sources.length === 0) {
      io.out.write(
        `FAIL config ${config.configPath}: ${where('sources')}: the config names no sources; add a sources: list (see the README, "Sources")\n`,
      );
      io.exitCode = 1;
      return;
    }
    io.out.write(
      `config ${config.configPath}: ok (${config.sources.length} sources, warehouse ${config.warehouse.path})\n`,
    );
    const logger = cliLogger(io, g);
    const limit = pLimit(config.extract.parallel);
    const results = await Promise.all(
      config.sources.map((s, i) =>
        limit(async () => {
          if (!s.enabled) return { name: s.name, ok: true, detail: 'disabled', problems: [] };
          const kind = connectorKind(s.kind);
          const r = await kind.check(s, { logger, baseDir: config.baseDir });
          return {
            name: s.name,
            ok: r.ok,
            detail: kind.describe(s),
            summary: r.detail,
            problems: (r.problems ?? []).map(
              (p) => `${where(problemPath(config, i, p))}: ${p.message}`,
            ),
          };
        }),
      ),
    );
    const width = Math.max(0, ...results.map((r) => r.name.length));
    for (const r of results) {
      if (r.ok) {
        const summary = 'summary' in r ? `: ${r.summary}` : '';
        io.out.write(`ok   ${r.name.padEnd(width)}  ${r.detail}${summary}\n`);
        continue;
      }
      io.out.write(`FAIL ${r.name.padEnd(width)}  ${r.detail}\n`);
      if (r.problems.length === 0 && 'summary' in r) io.out.write(`       ${r.summary}\n`);
      for (const p of r.problems) io.out.write(`       ${p}\n`);
    }
    if (results.some((r) => !r.ok)) io.exitCode = 1;
  });
}
