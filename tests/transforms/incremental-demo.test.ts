import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStep } from '../../connectors/extract-step.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { transformStep } from '../../transforms/transform-step.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { killStepAt } from '../helpers/kill-step.ts';
import { stagingDifferences } from './staging-snapshot.ts';

/** A copy of the warehouse file (closed) at `to`, with a config that points at it. */
function copyWarehouse(config: CdwConfig, to: string): CdwConfig {
  copyFileSync(config.warehouse.path, to);
  const wal = `${config.warehouse.path}.wal`;
  if (existsSync(wal)) copyFileSync(wal, `${to}.wal`);
  return { ...config, warehouse: { ...config.warehouse, path: to } };
}

async function transform(config: CdwConfig, fullRefresh = false): Promise<void> {
  const s = await runPipeline(config, {
    trigger: fullRefresh ? 'full-refresh' : 'test',
    fullRefresh,
    logger: silentLogger,
    steps: [transformStep],
  });
  expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
}

/** Staging tables of `a` that differ from those of `b` (rows only in one of them, per table). */
async function differences(a: string, b: string): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a);
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    return await stagingDifferences(wh, { catalog: 'other', schema: 'staging' });
  } finally {
    wh.close();
  }
}

describe('incremental transform over demo nights', () => {
  const tmp = tempDir('cdw-incremental-demo-');
  let config: CdwConfig;
  const nights: { restaged: number; diff: Record<string, number> }[] = [];

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    await generateDemo({
      dir,
      customers: 150,
      nights: 4,
      seed: 5,
      noise: 'harsh',
      logger: silentLogger,
      onNight: async () => {
        config ??= loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
        const s = await runPipeline(config, {
          trigger: 'test',
          logger: silentLogger,
          steps: [extractStep, transformStep],
        });
        expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
        const ref = copyWarehouse(config, path.join(tmp.dir, 'full.duckdb'));
        await transform(ref, true);
        nights.push({
          restaged: s.steps
            .filter((x) => x.step === 'transform' && x.source !== '')
            .reduce((n, x) => n + (x.rowsIn ?? 0), 0),
          diff: await differences(config.warehouse.path, ref.warehouse.path),
        });
      },
    });
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('gives each night the staging a full refresh of the same raw rows gives', () => {
    expect(nights.map((n) => n.diff)).toEqual([{}, {}, {}, {}]);
  });

  it('restages on a later night fewer records than on the first', () => {
    expect(nights[0]!.restaged).toBeGreaterThan(0);
    for (const n of nights.slice(1)) expect(n.restaged).toBeLessThan(nights[0]!.restaged);
  });
});

describe('an incremental transform killed mid-step', () => {
  const tmp = tempDir('cdw-incremental-kill-');
  let config: CdwConfig;
  let configPath: string;
  let reference: string;

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    configPath = path.join(dir, 'cdw.yaml');
    let night = 0;
    await generateDemo({
      dir,
      customers: 120,
      nights: 2,
      seed: 9,
      logger: silentLogger,
      onNight: async () => {
        night += 1;
        config ??= loadConfig(configPath, { env: {} });
        // night 2 is extracted, not yet transformed: the killed runs transform it
        const s = await runPipeline(config, {
          trigger: 'test',
          logger: silentLogger,
          steps: night === 1 ? [extractStep, transformStep] : [extractStep],
        });
        expect(s.status).toBe('succeeded');
      },
    });
    const ref = copyWarehouse(config, path.join(tmp.dir, 'reference.duckdb'));
    await transform(ref, true);
    reference = ref.warehouse.path;
  }, 600_000);
  afterAll(() => tmp.cleanup());

  for (const point of [
    'built the changes of staging.web_sessions',
    'applied the changes of staging.transactions',
  ]) {
    it(`at "${point}" leaves last night's staging; the rerun loses and doubles nothing`, async () => {
      const killed = copyWarehouse(config, path.join(tmp.dir, `killed-${point.length}.duckdb`));
      await killStepAt(configPath, killed.warehouse.path, point, 'transform');
      // nothing of the killed run is published: staging is night 1's, as in the original
      expect(await differences(killed.warehouse.path, config.warehouse.path)).toEqual({});
      await transform(killed);
      expect(await differences(killed.warehouse.path, reference)).toEqual({});
      const wh = await Warehouse.open(killed.warehouse.path, { readOnly: true });
      try {
        expect(
          await wh.scalar(
            `SELECT count(*) FROM (SELECT raw_table, load_id FROM meta.transform_loads GROUP BY ALL HAVING count(*) > 1)`,
          ),
        ).toBe(0);
      } finally {
        wh.close();
      }
    });
  }
});
