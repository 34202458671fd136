import { parseConfigText } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { runProfiles } from '../../warehouse/profiles/profiles-step.ts';

/**
 * A config validated from YAML (no sources, the given `profiles:` block, indented by the
 * caller), with `profiles` settings that name sources (source priority) laid over it — the
 * tests' sources are fixtures in staging, not configured connectors.
 */
export function profilesConfig(
  profilesYaml = '',
  over: Partial<CdwConfig['profiles']> = {},
): CdwConfig {
  const text = `warehouse:\n  path: unused.duckdb\n${profilesYaml ? `profiles:\n${profilesYaml}\n` : ''}`;
  const cfg = parseConfigText(text, '/tmp/cdw-profiles-test.yaml');
  return { ...cfg, profiles: { ...cfg.profiles, ...over } };
}

/** Runs the real pipeline with only the profiles step, at a chosen run time. */
export async function playNight(
  wh: Warehouse,
  now: string,
  config = profilesConfig(),
): Promise<RunSummary & { lines: string[] }> {
  const logger = memoryLogger();
  const summary = await runPipeline(config, {
    trigger: 'test',
    logger,
    warehouse: wh,
    steps: [
      {
        name: 'profiles',
        description: 'profiles at a fixed time',
        run: (ctx) => runProfiles(ctx, { now: new Date(now) }),
      },
    ],
  });
  const failed = summary.steps.filter((s) => s.status === 'failed');
  if (failed.length > 0)
    throw new Error(`profiles failed: ${failed.map((f) => `${f.source}: ${f.error}`).join('; ')}`);
  return { ...summary, lines: logger.lines };
}
