import pLimit from 'p-limit';
import type { PipelineStep, StepContext } from '../foundation/step.ts';
import type { StepResult } from '../foundation/ledger.ts';
import { connectorKind } from './registry.ts';
import { extractTable, type ExtractEnv } from './core/extract-table.ts';
import { closeAbandonedLoads } from './core/state-store.ts';
import { extractTempRoot, removeStaleTempDirs } from './core/temp-dir.ts';

/**
 * Pipeline step "extract": lands every enabled table of every enabled source in `raw.*`,
 * `config.extract.parallel` tables at a time. Each table is its own unit in `meta.run_steps`
 * (`source.table`): one that fails is recorded with its error and the others go on; the
 * pipeline then ends the run `partial`.
 */
export const extractStep: PipelineStep = {
  name: 'extract',
  description: 'land every source table in raw.*',
  run: async (ctx: StepContext): Promise<StepResult[]> => {
    const { config, wh } = ctx;
    const tempRoot = extractTempRoot(config.warehouse.path, config.warehouse.tempDirectory);
    const stale = removeStaleTempDirs(tempRoot);
    if (stale > 0)
      ctx.logger.info(
        `removed ${stale} temp folder${stale === 1 ? '' : 's'} left by an extract that died`,
      );
    const abandoned = await closeAbandonedLoads(wh.conn, ctx.runId);
    if (abandoned > 0)
      ctx.logger.warn(
        `${abandoned} load${abandoned === 1 ? '' : 's'} of an earlier run never committed (process stopped); their rows are read again now`,
      );

    const env: ExtractEnv = {
      wh,
      runId: ctx.runId,
      baseDir: config.baseDir,
      tempRoot,
      batchRows: config.extract.batchRows,
      retries: config.extract.retries,
      retryDelayMs: config.extract.retryDelayMs,
      maxDeleteShare: config.extract.maxDeleteShare,
      logger: ctx.logger,
      signal: ctx.signal,
      onLanded: (rows) => ctx.progress.count?.(rows, 'rows landed'),
      onRead: (n, unit) =>
        ctx.progress.count?.(
          unit === 'bytes' ? n / 1e6 : n,
          unit === 'bytes' ? 'MB read' : 'rows read',
        ),
    };
    const work = config.sources
      .filter((s) => s.enabled)
      .flatMap((s) => s.tables.filter((t) => t.enabled).map((t) => ({ s, t })));
    const limit = pLimit(config.extract.parallel);
    ctx.progress.start('extract', work.length);
    try {
      return await Promise.all(
        work.map(({ s, t }) =>
          limit(async () => {
            const r = await ctx.unit(`${s.name}.${t.name}`, async () => {
              const { rowsIn, rowsOut, rowsRejected, warnings } = await extractTable(
                env,
                connectorKind(s.kind),
                s,
                t,
              );
              return { rowsIn, rowsOut, rowsRejected, warnings };
            });
            ctx.progress.tick(1);
            return r;
          }),
        ),
      );
    } finally {
      ctx.progress.done(`${work.length} table${work.length === 1 ? '' : 's'}`);
    }
  },
};
