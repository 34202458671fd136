import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../demo/generate-demo.ts';
import { changeCount, generateChangeNight } from '../demo/change-night.ts';
import { loadConfig } from '../jobs/config/load.ts';
import { runPipeline } from '../jobs/pipeline.ts';
import { pipelineSteps } from '../jobs/steps.ts';
import { silentLogger } from '../foundation/logger.ts';
import type { PipelineStep } from '../foundation/step.ts';
import type { RunSummary } from '../jobs/pipeline.ts';
import { peakRssMb } from './measure.ts';

/**
 * Nights that cost what changed: K demo nights through the whole nightly job, then one more
 * run with no source change, then a night in which a share R of the persons change (move, new
 * mobile and e-mail, marriage) and nothing else happens (`generateChangeNight`), then a full
 * refresh of the same inputs; per night and step the
 * process CPU seconds (DuckDB's threads included), wall seconds and rows touched (the units'
 * rows in), with each night's ratio to night 1, and the machine's load (`uptime`) at the start.
 *
 * `npm run bench -- nights --customers 20000 --nights 3 [--change-rate 0.01] [--seed 42] [--keep]`
 */
export async function run(opts: {
  customers?: number;
  nights?: number;
  seed?: number;
  /** Share of the persons changed on the change night (default 0.01). */
  changeRate?: number;
  keep?: boolean;
}): Promise<Record<string, unknown>[]> {
  const customers = opts.customers ?? 20_000;
  const nights = opts.nights ?? 3;
  const changeRate = opts.changeRate ?? 0.01;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-nights-'));
  const figures: Record<string, unknown>[] = [];
  const load = () =>
    execFileSync('uptime', { encoding: 'utf8' })
      .trim()
      .replace(/^.*load/, 'load');
  const floor = cpuSeconds();
  figures.push({ load_at_start: load(), process_cpu_at_start: floor });
  let night1: Record<string, number> | undefined;
  const night = async (label: string, fullRefresh = false) => {
    const config = loadConfig(path.join(dir, 'cdw.yaml'));
    const perStep: Record<string, { cpu: number; wall: number }> = {};
    const steps = pipelineSteps().map((s) => measured(s, perStep));
    const t0 = performance.now();
    const c0 = cpuSeconds();
    const summary = await runPipeline(config, {
      trigger: 'bench',
      logger: silentLogger,
      steps,
      fullRefresh,
    });
    const row: Record<string, unknown> = {
      customers,
      night: label,
      status: summary.status,
      cpu_seconds: round(cpuSeconds() - c0),
      wall_seconds: round((performance.now() - t0) / 1000),
    };
    for (const [step, m] of Object.entries(perStep)) {
      row[`${step}_cpu`] = round(m.cpu);
      row[`${step}_wall`] = round(m.wall);
      row[`${step}_rows`] = touched(summary, step);
    }
    const cpu = Object.fromEntries(
      Object.entries(row).filter(([k]) => k.endsWith('cpu') || k === 'cpu_seconds'),
    ) as Record<string, number>;
    night1 ??= cpu;
    for (const [k, v] of Object.entries(cpu))
      if (night1[k] !== undefined && night1[k] > 0) row[`${k}_ratio`] = round(v / night1[k]);
    row.not_succeeded = summary.steps
      .filter((x) => x.status !== 'succeeded')
      .map((x) => `${x.step} ${x.source}: ${x.status}: ${x.error ?? ''}`);
    row.peak_rss_mb = peakRssMb();
    row.load = load();
    figures.push(row);
    // A long history takes hours: each night's figures on stderr as it ends, so a stopped run keeps them.
    process.stderr.write(`${JSON.stringify(row)}\n`);
  };
  try {
    await generateDemo({
      dir,
      customers,
      nights,
      seed: opts.seed ?? 42,
      logger: silentLogger,
      onNight: (n) => night(String(n.night)),
    });
    await night('no change');
    const changed = await generateChangeNight({ dir, rate: changeRate, logger: silentLogger });
    const persons = changeCount(changed.counts);
    await night(
      `${persons} of ${changed.persons} persons changed (rate ${changeRate}), nothing else`,
    );
    await night('full refresh', true);
    return figures;
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The step, measuring its CPU and wall seconds into `into[step]`. */
function measured(
  step: PipelineStep,
  into: Record<string, { cpu: number; wall: number }>,
): PipelineStep {
  return {
    ...step,
    async run(ctx) {
      const c0 = cpuSeconds();
      const t0 = performance.now();
      try {
        return await step.run(ctx);
      } finally {
        into[step.name] = { cpu: cpuSeconds() - c0, wall: (performance.now() - t0) / 1000 };
      }
    },
  };
}

/** Rows the step's units read (restaged records for the transform). */
function touched(summary: RunSummary, step: string): number | null {
  const own = summary.steps.find((s) => s.step === step && s.source === '');
  return own?.rowsIn ?? null;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function round(x: number): number {
  return Number(x.toFixed(2));
}
