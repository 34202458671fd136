import type { PipelineStep, StepContext } from '../foundation/step.ts';
import type { StepResult } from '../foundation/ledger.ts';
import { qualified } from '../foundation/sql.ts';
import { orderModels, nextName, STAGING_MODELS, UNIT_TARGETS } from './models/models.ts';
import { dropWorkTables, publishModels } from './models/publish.ts';
import { prepareConnection } from './prepare-connection.ts';
import { ENTITY_TABLE } from './quality/check-target.ts';
import { describeFailures, runQualityChecks } from './quality/run-checks.ts';
import { stageTable, type StagedTable } from './staging/stage-table.ts';
import { closePartyStdCache, openPartyStdCache } from './staging/party-std-cache.ts';
import { TransformError } from './transform-error.ts';
import { safeDetail } from './safe-detail.ts';

/**
 * Pipeline step "transform": stages every enabled source table (one unit each in
 * meta.run_steps, rows in = out + rejected), builds the staging models in dependency order,
 * publishes them together, then runs the data-quality checks; a failed `error` check fails
 * the step. When a table cannot be staged, last night's staging is left as it was.
 */
export const transformStep: PipelineStep = {
  name: 'transform',
  description: 'standardise raw rows into staging.*',
  async run(ctx) {
    try {
      return await transform(ctx);
    } finally {
      // Never let cleanup hide the step's own outcome.
      await dropWorkTables(ctx.wh).catch((err: unknown) =>
        ctx.logger.warn(`transform: could not drop work tables: ${safeDetail(err)}`),
      );
    }
  },
};

async function transform(ctx: StepContext): Promise<StepResult[]> {
  const { wh, config, logger } = ctx;
  await prepareConnection(wh);
  const models = orderModels(STAGING_MODELS);
  for (const m of models) await m.prepare?.({ wh, config });
  await openPartyStdCache(wh);
  const env = { wh, config, runId: ctx.runId, logger, targets: UNIT_TARGETS };
  const staged: StagedTable[] = [];
  const units: StepResult[] = [];
  const tables = config.sources
    .filter((s) => s.enabled)
    .flatMap((s) => s.tables.filter((t) => t.enabled).map((t) => ({ s, t })));
  ctx.progress.start('transform: source tables', tables.length);
  for (const { s, t } of tables) {
    if (ctx.signal?.aborted)
      throw new TransformError(
        'transform_error',
        'transform: stopped before every table was staged (aborted)',
      );
    units.push(
      await ctx.unit(`${s.name}.${t.name}`, async () => {
        const result = await stageTable(env, s, t);
        staged.push(result);
        return result.counts;
      }),
    );
    ctx.progress.tick(1);
  }
  ctx.progress.done();
  const failed = units.filter((u) => u.status === 'failed');
  await closePartyStdCache(wh, { prune: failed.length === 0 });
  if (failed.length > 0) {
    throw new TransformError(
      'transform_error',
      `${failed.length} of ${units.length} source tables could not be staged (${failed.map((u) => u.source).join(', ')}); staging left as it was`,
    );
  }

  for (const m of models) {
    const t0 = performance.now();
    try {
      await m.build?.({ wh, config });
      logger.debug(
        `transform: built staging.${m.name} in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
      );
    } catch (err) {
      throw new TransformError(
        'transform_error',
        `transform: building staging.${m.name} failed: ${safeDetail(err)}`,
        { cause: err },
      );
    }
  }
  await checkUnions(ctx, staged);
  const t0 = performance.now();
  await publishModels(
    wh,
    models.map((m) => m.name),
  );
  logger.debug(`transform: published in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  logger.info(
    `transform: staging published (${staged.reduce((n, s) => n + (s.counts.rowsOut ?? 0), 0)} rows from ${staged.length} tables)`,
  );

  const results = await runQualityChecks(
    { wh, config, runId: ctx.runId, logger },
    config.quality.checks,
  );
  const failure = describeFailures(results);
  if (failure !== undefined) throw new TransformError('dq_failed', failure);
  return units;
}

/** The entity tables hold exactly the rows the units counted out: nothing lost in the union. */
async function checkUnions(ctx: StepContext, staged: readonly StagedTable[]): Promise<void> {
  for (const [entity, table] of Object.entries(ENTITY_TABLE)) {
    const expected = staged
      .filter((s) => s.table.entity === entity)
      .reduce((n, s) => n + (s.counts.rowsOut ?? 0), 0);
    const actual = Number(
      await ctx.wh.scalar(`SELECT count(*) FROM ${qualified('staging', nextName(table))}`),
    );
    if (actual !== expected) {
      throw new TransformError(
        'transform_balance',
        `transform: staging.${table} has ${actual} rows but its source tables staged ${expected}`,
      );
    }
  }
}
