import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../demo/generate-demo.ts';
import { loadConfig } from '../jobs/config/load.ts';
import { runPipeline } from '../jobs/pipeline.ts';
import { pipelineSteps } from '../jobs/steps.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { silentLogger } from '../foundation/logger.ts';
import { runBlockingRules } from '../identity/blocking.ts';
import { parseBlockingRules } from '../identity/blocking-rules.ts';
import { prepareRecords } from '../identity/prepare-records.ts';
import { identitySettings } from '../identity/settings.ts';
import { peakRssMb } from './measure.ts';

/** The steps that build staging.party_records; blocking reads nothing else. */
const UP_TO_STAGING = new Set(['extract', 'privacy', 'transform']);

/**
 * Candidate pairs per blocking rule against the number of records: for each `--customers` size
 * (a number or a comma list, default 20000,60000,100000) a one-night demo company is generated
 * and loaded up to staging, its records prepared, and the default blocking rules run in the same
 * process without the pairs-per-record cap (`max_pairs_per_record` off), with the default one and
 * with each of `--per-record` (a comma list), printing per rule the pairs, the largest block kept and the block cap, the
 * distinct candidate pairs, pairs per record, the true pairs (demo truth.csv) that some rule
 * pairs (blocking recall), and CPU seconds of blocking.
 * Each size's lines also go to stderr as soon as they are measured.
 * `npm run bench -- blocking [--customers 20000,60000,100000] [--per-record 2,10] [--seed 42]`
 */
export async function run(opts: {
  customers?: number | string;
  perRecord?: number | string;
  seed?: number;
}): Promise<Record<string, unknown>[]> {
  const list = (x: number | string | undefined) =>
    x === undefined ? [] : String(x).split(',').map(Number);
  const sizes = list(opts.customers ?? '20000,60000,100000');
  const figures: Record<string, unknown>[] = [];
  for (const customers of sizes) {
    const lines = await measureSize(customers, opts.seed ?? 42, list(opts.perRecord));
    for (const l of lines) process.stderr.write(`${JSON.stringify(l)}\n`);
    figures.push(...lines);
  }
  return figures;
}

async function measureSize(
  customers: number,
  seed: number,
  perRecord: readonly number[],
): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-blocking-'));
  try {
    await generateDemo({
      dir,
      customers,
      nights: 1,
      seed,
      logger: silentLogger,
      onNight: async () => {
        await runPipeline(loadConfig(path.join(dir, 'cdw.yaml')), {
          trigger: 'bench',
          logger: silentLogger,
          steps: pipelineSteps().filter((s) => UP_TO_STAGING.has(s.name)),
        });
      },
    });
    const config = loadConfig(path.join(dir, 'cdw.yaml'));
    const wh = await Warehouse.open(config.warehouse.path, {
      memoryLimit: config.warehouse.memoryLimit,
      threads: config.warehouse.threads,
      tempDirectory: config.warehouse.tempDirectory,
    });
    try {
      const settings = identitySettings(config.identity);
      const records = await prepareRecords(wh, settings.customComparisons);
      await truePairs(wh, path.join(dir, 'truth.csv'));
      const allTrue = Number(await wh.scalar('SELECT count(*) FROM bench_true'));
      const rules = parseBlockingRules(settings.blockingRules, settings.comparisons);
      const out: Record<string, unknown>[] = [];
      const caps = [Number.POSITIVE_INFINITY, settings.maxPairsPerRecord, ...perRecord];
      for (const cap of [...new Set(caps)]) {
        const cpu0 = process.cpuUsage();
        const outcomes = await runBlockingRules(
          wh,
          rules,
          {
            maxPairs: settings.maxPairsPerRule,
            maxBlockSize: settings.maxBlockSize,
            maxPairsPerRecord: cap,
          },
          silentLogger,
        );
        const cpu = process.cpuUsage(cpu0);
        await wh.run(
          'CREATE OR REPLACE TEMP TABLE bench_pairs AS SELECT DISTINCT l, r FROM block_pairs',
        );
        const pairs = Number(await wh.scalar('SELECT count(*) FROM bench_pairs'));
        const found = Number(
          await wh.scalar('SELECT count(*) FROM bench_true JOIN bench_pairs USING (l, r)'),
        );
        out.push({
          customers,
          records,
          max_pairs_per_record: Number.isFinite(cap) ? cap : 'off',
          candidate_pairs: pairs,
          pairs_per_record: Number((pairs / records).toFixed(2)),
          true_pairs: allTrue,
          true_pairs_paired: found,
          blocking_recall: Number((found / allTrue).toFixed(5)),
          blocking_cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
          rules: outcomes.map((o) => ({
            rule: o.rule.text,
            pairs: o.pairsCounted,
            largest: o.largestBlock,
            cap: o.blockCap,
            status: o.status,
            ...(o.message === null ? {} : { message: o.message }),
          })),
          peak_rss_mb: peakRssMb(),
          load_average: os.loadavg().map((x) => Number(x.toFixed(2))),
        });
      }
      return out;
    } finally {
      wh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `bench_true(l, r)`: pairs of prepared records (rec_ids, l < r) of the same true person. */
async function truePairs(wh: Warehouse, truthFile: string): Promise<void> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE bench_truth AS
    SELECT r.rec_id, t.person_id
    FROM read_csv(${quoteLiteral(truthFile)}, header = true, all_varchar = true) t
    JOIN id_records r ON r.party_uid = t.source || '.' || t.source_table || ':' || t.record_key`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE bench_true AS
    SELECT a.rec_id AS l, b.rec_id AS r FROM bench_truth a JOIN bench_truth b
    ON a.person_id = b.person_id AND a.rec_id < b.rec_id`);
}
