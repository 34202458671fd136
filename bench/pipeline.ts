import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../demo/generate-demo.ts';
import { loadConfig } from '../jobs/config/load.ts';
import { runPipeline } from '../jobs/pipeline.ts';
import { pipelineSteps } from '../jobs/steps.ts';
import type { PipelineStep } from '../foundation/step.ts';
import { silentLogger } from '../foundation/logger.ts';
import { peakRssMb, timed } from './measure.ts';
import { floorFile, measureFloor, round } from './pipeline/floor.ts';

/**
 * CPU (process: all threads, DuckDB's and workers' included) and wall seconds of each step, and
 * the process's peak RSS when it ended (the step where it rises set it).
 */
function measuredSteps(
  into: Record<string, { cpu: number; wall: number; peakRssMb: number }>,
): PipelineStep[] {
  return pipelineSteps().map((step) => ({
    ...step,
    run: async (ctx) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      try {
        return await step.run(ctx);
      } finally {
        const c = process.cpuUsage(cpu0);
        into[step.name] = {
          cpu: round((c.user + c.system) / 1e6),
          wall: round((performance.now() - t0) / 1000),
          peakRssMb: peakRssMb(),
        };
        // On stderr as each step ends, so a run that dies or is stopped still leaves its figures.
        process.stderr.write(
          `${JSON.stringify({ step: step.name, ...into[step.name], load_average: os.loadavg() })}\n`,
        );
      }
    },
  }));
}

/**
 * The whole nightly job on a generated company: demo generation, then `cdw run` for each night,
 * with CPU and wall seconds per step and peak RSS of this process (generation and pipeline run
 * in it). After the last night, in the same run, the floor: DuckDB alone reading the same demo
 * files into tables plus a SQL-only standardisation stand-in (`pipeline/floor.ts`), and the
 * ratios of the first night's CPU to it.
 * With `--data <dir>` the one night runs on a demo company `cdw demo --no-run` generated there
 * (generated first when the folder has none), after removing what an earlier run wrote: the
 * generation is not paid again, and peak RSS is the pipeline's and the floor's alone. The
 * folder is kept.
 * `npm run bench -- pipeline --customers 100000 [--nights 1] [--seed 42] [--keep] [--data <dir>]`
 */
export async function run(opts: {
  customers?: number;
  nights?: number;
  seed?: number;
  keep?: boolean;
  data?: string;
}): Promise<Record<string, unknown>[]> {
  const customers = opts.customers ?? 100_000;
  const nights = opts.nights ?? 1;
  if (opts.data !== undefined && nights !== 1)
    throw new Error('--data runs one night: generate more nights with cdw demo instead');
  const dir =
    opts.data === undefined
      ? mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-pipeline-'))
      : path.resolve(opts.data);
  const keep = opts.keep === true || opts.data !== undefined;
  const figures: Record<string, unknown>[] = [];
  const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
  let firstNight: { cpu: number; transformCpu: number } | undefined;
  try {
    const runNight = async (night: number) => {
      const config = loadConfig(path.join(dir, 'cdw.yaml'));
      const per: Record<string, { cpu: number; wall: number; peakRssMb: number }> = {};
      const cpu0 = process.cpuUsage();
      const { seconds, value: summary } = await timed(() =>
        runPipeline(config, {
          trigger: 'bench',
          logger: silentLogger,
          steps: measuredSteps(per),
        }),
      );
      const c = process.cpuUsage(cpu0);
      const cpu = round((c.user + c.system) / 1e6);
      const steps: Record<string, number> = {};
      for (const [name, s] of Object.entries(per)) {
        steps[`${name}_cpu_seconds`] = s.cpu;
        steps[`${name}_seconds`] = s.wall;
        steps[`${name}_peak_rss_mb`] = s.peakRssMb;
      }
      const extracted = summary.steps.find((s) => s.step === 'extract' && s.source === '');
      if (firstNight === undefined)
        firstNight = { cpu, transformCpu: per.transform?.cpu ?? Number.NaN };
      figures.push({
        customers,
        night,
        status: summary.status,
        run_seconds: seconds,
        run_cpu_seconds: cpu,
        ...steps,
        rows_extracted: extracted?.rowsOut ?? null,
        rows_rejected: extracted?.rowsRejected ?? null,
        peak_rss_mb: peakRssMb(),
        load_average: load(),
      });
    };
    const gen =
      opts.data === undefined
        ? await timed(() =>
            generateDemo({
              dir,
              customers,
              nights,
              seed: opts.seed ?? 42,
              logger: silentLogger,
              onNight: (night) => runNight(night.night),
            }),
          )
        : await timed(async () => {
            await keptDemo(dir, customers, opts.seed ?? 42);
            await runNight(1);
          });
    const runSeconds = figures.reduce((s, f) => s + Number(f.run_seconds), 0);
    const generationSeconds = gen.seconds - runSeconds;
    // The floor reads the files as the last night left them (every night's files).
    const floor = await measureFloor(loadConfig(path.join(dir, 'cdw.yaml')), floorFile(dir));
    const floorCpu = floor.load.cpuSeconds + floor.standardise.cpuSeconds;
    figures.push({
      customers,
      nights,
      generation_seconds: Number(generationSeconds.toFixed(2)),
      total_seconds: gen.seconds,
      floor_method:
        'DuckDB read_csv/read_json of every input file into tables (logs: their lines) + SQL-only standardisation stand-in of the party tables (latest version per key; e-mail, phone digits, name keys)',
      floor_load_cpu_seconds: floor.load.cpuSeconds,
      floor_load_seconds: floor.load.wallSeconds,
      floor_rows_read: floor.load.rows,
      floor_standardise_cpu_seconds: floor.standardise.cpuSeconds,
      floor_standardise_seconds: floor.standardise.wallSeconds,
      floor_party_records: floor.standardise.rows,
      floor_cpu_seconds: round(floorCpu),
      // Night 1 reads what the floor reads only when it is the only night.
      ratio_run_cpu_to_floor:
        nights === 1 && firstNight !== undefined ? round(firstNight.cpu / floorCpu) : null,
      ratio_transform_cpu_to_floor:
        nights === 1 && firstNight !== undefined ? round(firstNight.transformCpu / floorCpu) : null,
      peak_rss_mb: peakRssMb(),
      load_average: load(),
    });
    return figures;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A one-night demo company in `dir` with `customers` people as before its first run: generated
 * when the folder holds none, else checked against its manifest and cleared of the warehouse,
 * reports and floor an earlier run wrote.
 */
async function keptDemo(dir: string, customers: number, seed: number): Promise<void> {
  const index = path.join(dir, 'nights', 'index.json');
  if (!existsSync(index)) {
    await generateDemo({ dir, customers, nights: 1, seed, logger: silentLogger });
    return;
  }
  const made = JSON.parse(readFileSync(index, 'utf8')) as {
    customers: number;
    seed: number;
    nights: unknown[];
  };
  if (made.customers !== customers || made.seed !== seed || made.nights.length !== 1)
    throw new Error(
      `${dir} holds a demo of ${made.customers} customers, seed ${made.seed}, ${made.nights.length} nights; the bench asked for ${customers}, seed ${seed}, 1 night`,
    );
  for (const e of readdirSync(dir))
    if (
      e.startsWith('warehouse.duckdb') ||
      e.startsWith('.cdw') ||
      e === 'reports' ||
      e === 'floor.duckdb'
    )
      rmSync(path.join(dir, e), { recursive: true, force: true });
}
