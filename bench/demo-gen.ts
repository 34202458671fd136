import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateDemo } from '../demo/generate-demo.ts';
import { silentLogger } from '../foundation/logger.ts';
import { NOISE_MODELS } from '../demo/noise.ts';
import { peakRssMb } from './measure.ts';

/**
 * Demo company generation alone (no pipeline run): seconds, rows written and peak RSS for N
 * customers and K nights, into a temporary folder that is removed afterwards.
 * `npm run bench -- demo-gen --customers 100000 [--nights 1] [--seed 42] [--noise harsh] [--keep]`
 */
export async function run(opts: {
  customers?: number;
  nights?: number;
  seed?: number;
  noise?: string;
  keep?: boolean;
}): Promise<Record<string, unknown>[]> {
  const noise = NOISE_MODELS.find((m) => m === (opts.noise ?? 'standard'));
  if (noise === undefined) throw new Error(`--noise must be one of ${NOISE_MODELS.join(', ')}`);
  const customers = opts.customers ?? 100_000;
  const nights = opts.nights ?? 1;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-demo-'));
  const cpu0 = process.cpuUsage();
  try {
    const r = await generateDemo({
      dir,
      customers,
      nights,
      seed: opts.seed ?? 42,
      noise,
      logger: silentLogger,
    });
    const rows = r.nights.reduce(
      (s, n) => s + Object.values(n.written).reduce((a, b) => a + b, 0),
      0,
    );
    return [
      {
        customers,
        nights,
        noise,
        persons: r.persons,
        party_records: r.nights.reduce((s, n) => s + n.truthRows, 0),
        rows_written: rows,
        seconds: Number(r.seconds.toFixed(2)),
        rows_per_second: Math.round(rows / r.seconds),
        // Wall seconds depend on what else the machine runs; CPU seconds of this process do less.
        cpu_seconds: Number(
          ((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6).toFixed(2),
        ),
        peak_rss_mb: peakRssMb(),
        ...(opts.keep ? { dir } : {}),
      },
    ];
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
