import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractStep } from '../../connectors/extract-step.ts';
import { evaluateIdentity, type Evaluation } from '../../identity/evaluate.ts';
import { identityStep } from '../../identity/identity-step.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import { transformStep } from '../../transforms/transform-step.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';
import type * as GeneratorModuleNs from '../../demo/generate-demo.ts';

type GeneratorModule = typeof GeneratorModuleNs;

/**
 * The headline acceptance of identity resolution: the demo company (20,000 customers, several
 * seeds) through extract → transform → identity, scored against the demo's truth.csv.
 * Slow by nature (about a minute per seed on two cores); it is the one test here that is.
 */
const GENERATOR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../demo/generate-demo.ts',
);
const SEEDS = [1, 2, 3];
const CUSTOMERS = 20_000;

const available = existsSync(GENERATOR);
const title = available
  ? 'identity on the demo company'
  : 'identity on the demo company — SKIPPED: demo/generate-demo.ts is absent';

describe.skipIf(!available)(title, () => {
  it.each(SEEDS)(
    `seed %i, ${CUSTOMERS} customers: pairwise precision >= 0.99 and F1 >= 0.97`,
    async (seed) => {
      const { generateDemo } = (await import(GENERATOR)) as GeneratorModule;
      const tmp = tempDir('cdw-identity-demo-');
      try {
        const dir = path.join(tmp.dir, 'demo');
        let config: CdwConfig | undefined;
        const runs: RunSummary[] = [];
        const demo = await generateDemo({
          dir,
          customers: CUSTOMERS,
          nights: 1,
          seed,
          logger: silentLogger,
          onNight: async () => {
            config = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
            runs.push(
              await runPipeline(config, {
                trigger: 'demo',
                logger: silentLogger,
                steps: [extractStep, transformStep, identityStep],
              }),
            );
          },
        });
        expect(runs.map((r) => r.status)).toEqual(['succeeded']);
        const wh = await Warehouse.open(config!.warehouse.path);
        let e: Evaluation;
        try {
          e = await evaluateIdentity(wh, demo.truthPath);
          expect(e.records).toBe(
            Number(await wh.scalar('SELECT count(*) FROM core.customer_xref')),
          );
        } finally {
          wh.close();
        }
        const figures = `seed ${seed}: pairwise P ${e.pairwise.precision.toFixed(4)} R ${e.pairwise.recall.toFixed(4)} F1 ${e.pairwise.f1.toFixed(4)}, B-cubed F1 ${e.bcubed.f1.toFixed(4)}, households F1 ${e.households?.f1.toFixed(4)}`;
        console.info(figures);
        expect(e.pairwise.precision, figures).toBeGreaterThanOrEqual(0.99);
        expect(e.pairwise.f1, figures).toBeGreaterThanOrEqual(0.97);
        // Households: precision stays near 1 (no strangers grouped); recall is bounded by people whose records give no address.
        expect(e.households!.precision, figures).toBeGreaterThanOrEqual(0.99);
        expect(e.households!.f1, figures).toBeGreaterThanOrEqual(0.88);
      } finally {
        tmp.cleanup();
      }
    },
    900_000,
  );
});
