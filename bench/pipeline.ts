import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../demo/generate-demo.ts';
import { loadConfig } from '../jobs/config/load.ts';
import { runPipeline } from '../jobs/pipeline.ts';
import { silentLogger } from '../foundation/logger.ts';
import { peakRssMb, timed } from './measure.ts';

/**
 * The whole nightly job on a generated company: demo generation, then `cdw run` for each night,
 * with seconds per step and peak RSS of this process (generation and pipeline run in it).
 * `npm run bench -- pipeline --customers 100000 [--nights 1] [--seed 42] [--keep]`
 */
export async function run(opts: {
  customers?: number;
  nights?: number;
  seed?: number;
  keep?: boolean;
}): Promise<Record<string, unknown>[]> {
  const customers = opts.customers ?? 100_000;
  const nights = opts.nights ?? 1;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-pipeline-'));
  const figures: Record<string, unknown>[] = [];
  try {
    const gen = await timed(() =>
      generateDemo({
        dir,
        customers,
        nights,
        seed: opts.seed ?? 42,
        logger: silentLogger,
        onNight: async (night) => {
          const config = loadConfig(path.join(dir, 'cdw.yaml'));
          const { seconds, value: summary } = await timed(() =>
            runPipeline(config, { trigger: 'bench', logger: silentLogger }),
          );
          const steps: Record<string, number> = {};
          for (const s of summary.steps)
            if (s.source === '') steps[`${s.step}_seconds`] = Number(s.seconds.toFixed(2));
          const extracted = summary.steps.find((s) => s.step === 'extract' && s.source === '');
          figures.push({
            customers,
            night: night.night,
            status: summary.status,
            run_seconds: seconds,
            ...steps,
            rows_extracted: extracted?.rowsOut ?? null,
            rows_rejected: extracted?.rowsRejected ?? null,
            peak_rss_mb: peakRssMb(),
          });
        },
      }),
    );
    const runSeconds = figures.reduce((s, f) => s + Number(f.run_seconds), 0);
    const generationSeconds = gen.seconds - runSeconds;
    figures.push({
      customers,
      nights,
      generation_seconds: Number(generationSeconds.toFixed(2)),
      total_seconds: gen.seconds,
      peak_rss_mb: peakRssMb(),
    });
    return figures;
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
