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
import { profilesStep } from '../../warehouse/profiles/profiles-step.ts';
import { tempDir } from '../helpers/warehouse.ts';

const upToProfiles = () => pipelineSteps().filter((s) => !['marts', 'reports'].includes(s.name));
const FACTS = ['fact_transactions', 'fact_interactions'];

/** Rows only in one of the two warehouses' fact tables, per table (`{}` when the same). */
async function factDifferences(a: string, b: string): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a);
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    const out: Record<string, number> = {};
    for (const t of FACTS) {
      const n = Number(
        await wh.scalar(
          `SELECT count(*) FROM ((FROM core.${t} EXCEPT ALL FROM other.core.${t}) UNION ALL (FROM other.core.${t} EXCEPT ALL FROM core.${t}))`,
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
 * Demo nights through the real pipeline (extract → transform → identity → profiles): after each
 * night, the facts built from what changed equal those a full refresh of profiles gives on a
 * copy of the warehouse — while customers merge and split and records change.
 */
describe('facts built from what changed', () => {
  const tmp = tempDir('cdw-incremental-facts-');
  let config: CdwConfig;
  const nights: {
    notes: Record<string, string | null>;
    rows: Record<string, number>;
    diff: Record<string, number>;
  }[] = [];

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    await generateDemo({
      dir,
      customers: 150,
      nights: 3,
      seed: 21,
      noise: 'harsh',
      logger: silentLogger,
      onNight: async () => {
        config ??= loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
        const s = await runPipeline(config, {
          trigger: 'test',
          logger: silentLogger,
          steps: upToProfiles(),
        });
        expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
        const copy = path.join(tmp.dir, 'full.duckdb');
        copyFileSync(config.warehouse.path, copy);
        if (existsSync(`${config.warehouse.path}.wal`))
          copyFileSync(`${config.warehouse.path}.wal`, `${copy}.wal`);
        const full = await runPipeline(
          { ...config, warehouse: { ...config.warehouse, path: copy } },
          {
            trigger: 'full-refresh',
            fullRefresh: true,
            logger: silentLogger,
            steps: [profilesStep],
          },
        );
        expect(full.status).toBe('succeeded');
        nights.push({
          notes: Object.fromEntries(
            s.steps.filter((x) => FACTS.includes(x.source)).map((x) => [x.source, x.error]),
          ),
          rows: Object.fromEntries(
            s.steps.filter((x) => FACTS.includes(x.source)).map((x) => [x.source, x.rowsIn ?? 0]),
          ),
          diff: await factDifferences(config.warehouse.path, copy),
        });
      },
    });
  }, 900_000);
  afterAll(() => tmp.cleanup());

  it('give each night the facts a full refresh gives', () => {
    expect(nights.map((n) => n.diff)).toEqual([{}, {}, {}]);
  });

  it('rebuild only the rows touched after the first night', () => {
    expect(nights[0]!.notes.fact_transactions).toBe('rebuilt whole: first built from what changed');
    for (const n of nights.slice(1))
      for (const f of FACTS) {
        expect(n.notes[f], f).toMatch(/^incremental: \d+ rows rebuilt$/);
        const rebuilt = Number(/(\d+) rows/.exec(n.notes[f]!)![1]);
        expect(rebuilt, f).toBeLessThan(n.rows[f]!);
      }
  });
});
