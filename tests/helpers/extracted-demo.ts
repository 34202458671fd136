import path from 'node:path';
import { expect } from 'vitest';
import { extractStep } from '../../connectors/extract-step.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { tempDir } from './warehouse.ts';

/** A generated demo company of one night, extracted into its warehouse (raw only). */
export interface ExtractedDemo {
  readonly dir: string;
  readonly config: CdwConfig;
  readonly wh: Warehouse;
  /** Closes the warehouse and removes the folder. */
  cleanup(): void;
}

/** Generates a one-night demo of `customers` and runs only the extract step on it. */
export async function extractedDemo(opts: {
  customers: number;
  seed: number;
  prefix: string;
}): Promise<ExtractedDemo> {
  const tmp = tempDir(opts.prefix);
  const dir = path.join(tmp.dir, 'demo');
  await generateDemo({
    dir,
    customers: opts.customers,
    nights: 1,
    seed: opts.seed,
    logger: silentLogger,
  });
  const config = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
  const run = await runPipeline(config, {
    trigger: 'demo',
    logger: silentLogger,
    steps: [extractStep],
  });
  expect(run.status).not.toBe('failed');
  const wh = await Warehouse.open(config.warehouse.path);
  return {
    dir,
    config,
    wh,
    cleanup() {
      wh.close();
      tmp.cleanup();
    },
  };
}
