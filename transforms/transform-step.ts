import type { PipelineStep, StepContext } from '../foundation/step.ts';
import type { StepResult } from '../foundation/ledger.ts';
import type { ResolvedSource, ResolvedTable } from '../foundation/config-types.ts';
import type { EntityName } from '../foundation/entities.ts';
import { qualified } from '../foundation/sql.ts';
import { tablesIn } from '../foundation/duckdb-client.ts';
import {
  CHANGED_KEYS,
  KEY_ROWS,
  orderModels,
  STAGING_MODELS,
  TRANSFORM_PLAN,
  UNIT_TARGETS,
} from './models/models.ts';
import { applyChanges, dropWorkTables } from './models/publish.ts';
import { prepareConnection } from './prepare-connection.ts';
import { ENTITY_TABLE } from './quality/check-target.ts';
import { describeFailures, runQualityChecks } from './quality/run-checks.ts';
import { stageTable, type StagedTable } from './staging/stage-table.ts';
import { closePartyStdCache, openPartyStdCache } from './staging/party-std-cache.ts';
import { defaultStandardiseWorkers } from './staging/party-std-fill.ts';
import { StepStdPool } from './staging/party-std-pool.ts';
import {
  openTransformState,
  planTable,
  rebuildReason,
  recordTransformState,
  type TablePlan,
} from './incremental/transform-state.ts';
import { TransformError } from './transform-error.ts';
import { safeDetail } from './safe-detail.ts';

/**
 * Pipeline step "transform": restages the keys of every enabled source table that received
 * raw rows (or tombstones) since the last successful transform — every key of a table first
 * seen, whose config changed, or on a full refresh — one unit each in meta.run_steps (rows in =
 * out + rejected, of the keys restaged), builds the staging models' changes in dependency
 * order, applies them together, then runs the data-quality checks; a failed `error` check fails
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
  await openTransformState(wh);
  const models = orderModels(STAGING_MODELS);
  const rebuildWhy = await rebuildReason(wh, {
    fullRefresh: ctx.fullRefresh === true,
    publishedTables: models.map((m) => m.name),
  });
  const menv = { wh, config, rebuild: rebuildWhy !== undefined };
  if (rebuildWhy !== undefined) logger.info(`transform: staging rebuilt from raw (${rebuildWhy})`);
  await dropWorkTables(wh);
  await wh.run(
    `CREATE TABLE ${qualified('staging', TRANSFORM_PLAN)} (source VARCHAR, source_table VARCHAR, entity VARCHAR, incremental BOOLEAN)`,
  );
  await wh.run(
    `CREATE TABLE ${qualified('staging', CHANGED_KEYS)} (source VARCHAR, source_table VARCHAR, rk VARCHAR, seen BOOLEAN)`,
  );
  await wh.run(
    `CREATE TABLE ${qualified('staging', KEY_ROWS)} (raw_table VARCHAR, rk VARCHAR, rid BIGINT)`,
  );
  for (const m of models) await m.prepare?.(menv);
  await openPartyStdCache(wh);
  const env = {
    wh,
    config,
    runId: ctx.runId,
    logger,
    targets: UNIT_TARGETS,
    changedKeys: ['staging', CHANGED_KEYS] as const,
    keyRows: ['staging', KEY_ROWS] as const,
    stdPool: new StepStdPool(config.transforms.standardiseWorkers ?? defaultStandardiseWorkers()),
  };
  const staged: (StagedTable & { plan: TablePlan })[] = [];
  const units: StepResult[] = [];
  const tables = config.sources
    .filter((s) => s.enabled)
    .flatMap((s) => s.tables.filter((t) => t.enabled).map((t) => ({ s, t })));
  // raw tables are the extract's: none is created or dropped while the transform stages
  const rawTables = await tablesIn(wh, 'raw');
  ctx.progress.start('transform: source tables', tables.length);
  try {
    for (const { s, t } of tables) {
      if (ctx.signal?.aborted)
        throw new TransformError(
          'transform_error',
          'transform: stopped before every table was staged (aborted)',
        );
      units.push(
        await ctx.unit(`${s.name}.${t.name}`, async () => {
          const result = await stageOne(ctx, env, rebuildWhy, rawTables, s, t);
          if (result.plan !== undefined) staged.push({ ...result, plan: result.plan });
          return result.counts;
        }),
      );
      ctx.progress.tick(1);
    }
  } finally {
    // Live worker threads would keep the process running.
    await env.stdPool.close();
  }
  ctx.progress.done();
  const failed = units.filter((u) => u.status === 'failed');
  // An incremental night standardises only the changed records: the cache keeps the others.
  await closePartyStdCache(wh, {
    prune: failed.length === 0 && staged.every((s) => !s.plan.incremental),
  });
  if (failed.length > 0) {
    throw new TransformError(
      'transform_error',
      `${failed.length} of ${units.length} source tables could not be staged (${failed.map((u) => u.source).join(', ')}); staging left as it was`,
    );
  }

  for (const m of models) {
    const t0 = performance.now();
    try {
      await m.build?.(menv);
      logger.debug(
        `transform: built the changes of staging.${m.name} in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
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
  await applyChanges(
    menv,
    models,
    () => recordTransformState(wh, staged, ['staging', KEY_ROWS]),
    (m) => logger.debug(`transform: applied the changes of staging.${m}`),
  );
  logger.debug(`transform: published in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  logger.info(
    `transform: staging published (${staged.reduce((n, s) => n + (s.counts.rowsOut ?? 0), 0)} rows restaged from ${staged.length} tables)`,
  );

  const results = await runQualityChecks(
    { wh, config, runId: ctx.runId, logger },
    config.quality.checks,
  );
  const failure = describeFailures(results);
  if (failure !== undefined) throw new TransformError('dq_failed', failure);
  return units;
}

/**
 * Stages one table: incrementally when it can, else whole. A table with nothing to stage has
 * no plan: its published rows go (as they would on a rebuild) and its state is dropped.
 */
async function stageOne(
  ctx: StepContext,
  env: Parameters<typeof stageTable>[0],
  rebuildWhy: string | undefined,
  rawTables: ReadonlySet<string>,
  s: ResolvedSource,
  t: ResolvedTable,
): Promise<StagedTable & { plan?: TablePlan }> {
  // `cdw run --full-refresh --select <source>` restages that source's tables whole
  const rebuild =
    rebuildWhy ??
    (ctx.fullRefreshSources?.includes(s.name) === true ? `full refresh of ${s.name}` : undefined);
  const plan = rawTables.has(t.rawTable)
    ? await planTable(ctx.wh, ctx.config, s, t, { rebuild })
    : undefined;
  // an incremental table with no new raw rows has nothing to restage: its raw is not read
  const result: StagedTable =
    plan?.incremental === true && plan.newRows === 0
      ? {
          source: s,
          table: t,
          counts: {
            rowsIn: 0,
            rowsOut: 0,
            rowsRejected: 0,
            touched: { count: 0, what: 'records' },
          },
        }
      : await stageTable(env, s, t, {
          newRowsSql: plan?.incremental === true ? plan.newRowsSql : undefined,
        });
  if (plan === undefined || result.empty === true) return result;
  await ctx.wh.run(`INSERT INTO ${qualified('staging', TRANSFORM_PLAN)} VALUES ($1, $2, $3, $4)`, [
    s.name,
    t.name,
    t.entity,
    plan.incremental,
  ]);
  const how = plan.incremental
    ? `incremental: ${result.counts.rowsIn ?? 0} changed records restaged`
    : `restaged whole: ${plan.why ?? 'full refresh'}`;
  return {
    ...result,
    plan,
    counts: {
      ...result.counts,
      // the raw rows read tonight: the changed records, or all of them when restaged whole
      touched: { count: result.counts.rowsIn ?? 0, what: 'records' },
      notes: [how, ...(result.counts.notes ?? [])],
    },
  };
}

/** Tonight's entity tables hold exactly the rows the units counted out: nothing lost in the union. */
async function checkUnions(ctx: StepContext, staged: readonly StagedTable[]): Promise<void> {
  for (const [entity, table] of Object.entries(ENTITY_TABLE)) {
    const expected = staged
      .filter((s) => s.table.entity === entity)
      .reduce((n, s) => n + (s.counts.rowsOut ?? 0), 0);
    const actual = Number(
      await ctx.wh.scalar(
        `SELECT count(*) FROM ${qualified('staging', UNIT_TARGETS[entity as EntityName])}`,
      ),
    );
    if (actual !== expected) {
      throw new TransformError(
        'transform_balance',
        `transform: staging.${table} has ${actual} rows restaged but its source tables staged ${expected}`,
      );
    }
  }
}
