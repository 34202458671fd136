import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { pipelineSteps } from '../../jobs/steps.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { martsStep } from '../../jobs/reports/marts-step.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { killStepAt } from '../helpers/kill-step.ts';

/** Marts that hold a row set per run (the run id differs between two runs by nature). */
const PER_RUN = /^(data_quality|nightly_|run_as_of)/;

function copyWarehouse(config: CdwConfig, to: string): CdwConfig {
  copyFileSync(config.warehouse.path, to);
  if (existsSync(`${config.warehouse.path}.wal`))
    copyFileSync(`${config.warehouse.path}.wal`, `${to}.wal`);
  return { ...config, warehouse: { ...config.warehouse, path: to } };
}

/** Rows only in one of the two warehouses, per marts table (`{}` when every table is the same). */
async function martDifferences(a: string, b: string): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a);
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    const tables = await wh.all<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: Record<string, number> = {};
    for (const { table_name: t } of tables) {
      if (PER_RUN.test(t)) continue;
      const n = Number(
        await wh.scalar(
          `SELECT count(*) FROM ((FROM marts.${t} EXCEPT ALL FROM other.marts.${t}) UNION ALL (FROM other.marts.${t} EXCEPT ALL FROM marts.${t}))`,
        ),
      );
      if (n > 0) out[t] = n;
    }
    return out;
  } finally {
    wh.close();
  }
}

/**
 * Night 1 through the whole job, night 2 up to profiles; then the marts of night 2 are built
 * from what changed in a child killed -9 at a point inside the marts step, and rerun: the marts
 * equal those of an uninterrupted night.
 */
describe('marts built from what changed, killed inside the marts step', () => {
  const tmp = tempDir('cdw-marts-kill-');
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
      seed: 17,
      logger: silentLogger,
      onNight: async () => {
        night += 1;
        config ??= loadConfig(configPath, { env: {} });
        const steps = pipelineSteps().filter(
          (s) => night === 1 || !['marts', 'reports'].includes(s.name),
        );
        const s = await runPipeline(config, { trigger: 'test', logger: silentLogger, steps });
        expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
      },
    });
    const ref = copyWarehouse(config, path.join(tmp.dir, 'reference.duckdb'));
    const s = await runPipeline(ref, { trigger: 'test', logger: silentLogger, steps: [martsStep] });
    expect(s.status).toBe('succeeded');
    reference = ref.warehouse.path;
  }, 600_000);
  afterAll(() => tmp.cleanup());

  for (const [point, pauseAt] of [
    ['inside the customer_360 transaction', 'marts.customer_360 rows of'],
    ['inside the campaign contacts transaction', 'marts.campaign_contacts rows of'],
    ['after a whole mart is rebuilt, before its fingerprint is kept', 'marts.cross_sell rebuilt'],
  ] as const) {
    it(`${point}: the rerun gives the marts of an uninterrupted night`, async () => {
      const killed = copyWarehouse(config, path.join(tmp.dir, `killed-${pauseAt}.duckdb`));
      await killStepAt(configPath, killed.warehouse.path, pauseAt, 'marts');
      const s = await runPipeline(killed, {
        trigger: 'test',
        logger: silentLogger,
        steps: [martsStep],
      });
      expect(s.status).toBe('succeeded');
      const notes = Object.fromEntries(
        s.steps.filter((x) => x.step === 'marts').map((x) => [x.source, x.error]),
      );
      // the rerun still works from what changed (the kill did not make it start over)
      expect(notes.customer_360).toMatch(/^incremental: \d+ customers rebuilt$/);
      // killed before or inside the campaign contacts transaction: rebuilt by the rerun
      expect(notes.campaign_results).toMatch(
        pauseAt.startsWith('marts.campaign_contacts')
          ? /^incremental: [1-9]\d* recipients rebuilt$/
          : /^incremental: 0 recipients rebuilt$/,
      );
      expect(await martDifferences(killed.warehouse.path, reference)).toEqual({});
    });
  }
});
