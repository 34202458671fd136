import type { CdwConfig } from '../foundation/config-types.ts';
import type { PipelineStep } from '../foundation/step.ts';
import { JobError } from './errors.ts';

/**
 * What `cdw run --full-refresh [--select NAME …]` recomputes from raw: every step (no
 * `--select`), or only the steps named and the tables of the sources named. The rest of the run
 * works on what changed as on any night, so what a selected step or source recomputes flows on
 * to the steps after it.
 */
export interface FullRefreshScope {
  /** Steps recomputed whole (`StepContext.fullRefresh`). */
  readonly steps: ReadonlySet<string>;
  /** Sources whose tables are restaged whole (`StepContext.fullRefreshSources`). */
  readonly sources: ReadonlySet<string>;
}

/**
 * Resolves `--select` against the run's steps and the configured sources; a name that is
 * neither, or `--select` without `--full-refresh`, is a usage error that lists the choices.
 */
export function fullRefreshScope(
  config: CdwConfig,
  steps: readonly PipelineStep[],
  opts: { readonly fullRefresh?: boolean; readonly select?: readonly string[] },
): FullRefreshScope {
  const stepNames = steps.map((s) => s.name);
  const select = opts.select ?? [];
  if (opts.fullRefresh !== true) {
    if (select.length > 0)
      throw new JobError(
        'usage',
        '--select chooses what --full-refresh recomputes: give --full-refresh with it',
      );
    return { steps: new Set(), sources: new Set() };
  }
  if (select.length === 0) return { steps: new Set(stepNames), sources: new Set() };
  const sourceNames = config.sources.map((s) => s.name);
  const unknown = select.filter((n) => !stepNames.includes(n) && !sourceNames.includes(n));
  if (unknown.length > 0)
    throw new JobError(
      'usage',
      `--select ${unknown.join(', ')}: not a step or a source (steps: ${stepNames.join(', ')}; sources: ${sourceNames.join(', ') || 'none'})`,
    );
  return {
    steps: new Set(select.filter((n) => stepNames.includes(n))),
    sources: new Set(select.filter((n) => !stepNames.includes(n))),
  };
}
