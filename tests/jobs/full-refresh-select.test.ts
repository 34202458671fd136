import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseConfigText } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { silentLogger } from '../../foundation/logger.ts';
import type { PipelineStep } from '../../foundation/step.ts';
import { tempDir } from '../helpers/warehouse.ts';

/** Steps that say what they were asked to recompute from raw. */
function recording(seen: Record<string, unknown>): PipelineStep[] {
  return ['transform', 'identity', 'profiles'].map((name) => ({
    name,
    description: 'records its context',
    run: async (ctx) => {
      seen[name] = { fullRefresh: ctx.fullRefresh, sources: ctx.fullRefreshSources };
      return { rowsIn: 0, rowsOut: 0, rowsRejected: 0 };
    },
  }));
}

describe('cdw run --full-refresh --select', () => {
  const tmp = tempDir('cdw-select-');
  afterAll(() => tmp.cleanup());
  const config = parseConfigText(
    `warehouse:
  path: w.duckdb
sources:
  - name: billing
    kind: csv
    connection: { dir: in }
    tables:
      - name: accounts
        entity: party
        path: a.csv
        mapping: { record_key: id }
`,
    path.join(tmp.dir, 'cdw.yaml'),
  );
  const run = async (opts: { fullRefresh?: boolean; select?: string[] }) => {
    const seen: Record<string, unknown> = {};
    const s = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: recording(seen),
      ...opts,
    });
    expect(s.status).toBe('succeeded');
    return seen;
  };

  it('without --select recomputes every step', async () => {
    expect(await run({ fullRefresh: true })).toEqual({
      transform: { fullRefresh: true, sources: [] },
      identity: { fullRefresh: true, sources: [] },
      profiles: { fullRefresh: true, sources: [] },
    });
  });

  it('recomputes only the steps named; the others work on what changed', async () => {
    expect(await run({ fullRefresh: true, select: ['profiles'] })).toEqual({
      transform: { fullRefresh: false, sources: [] },
      identity: { fullRefresh: false, sources: [] },
      profiles: { fullRefresh: true, sources: [] },
    });
  });

  it('a source named is restaged whole by the steps that read sources', async () => {
    expect(await run({ fullRefresh: true, select: ['billing'] })).toEqual({
      transform: { fullRefresh: false, sources: ['billing'] },
      identity: { fullRefresh: false, sources: ['billing'] },
      profiles: { fullRefresh: false, sources: ['billing'] },
    });
  });

  it('a name that is no step or source is refused before anything runs', async () => {
    await expect(run({ fullRefresh: true, select: ['nosuch'] })).rejects.toThrow(
      /--select nosuch: not a step or a source \(steps: transform, identity, profiles; sources: billing\)/,
    );
  });
});
