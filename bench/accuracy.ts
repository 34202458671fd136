import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CDW = path.join(HERE, '..', 'bin', 'cdw.js');

/** One truth row: a record (as the config names it) and the true person (and household). */
interface TruthRow {
  readonly source: string;
  readonly table: string;
  readonly key: string;
  readonly person: string;
  readonly household?: string;
}

/**
 * A public benchmark set: a folder of bench/accuracy/ with its data and a `cdw.yaml` that maps
 * columns and sets nothing else, and how to read the truth from the labels the set ships with.
 * The labels are never mapped: the harness reads them on its own.
 */
interface AccuracySet {
  readonly name: string;
  readonly dir: string;
  /** What the "Done when" asks of this set, printed beside the figures. */
  readonly target: { readonly f1: number; readonly precision: number };
  /** Published figures of other tools on this set, when known (printed, never used). */
  readonly published?: string;
  truth(dir: string): TruthRow[];
}

function csvRows(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), {
    columns: (h: string[]) => h.map((c) => c.trim()),
    trim: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
}

/** FEBRL record ids: `rec-<person>-org` and `rec-<person>-dup-<k>`. */
function febrlTruth(file: string, source: string): TruthRow[] {
  return csvRows(file).map((r) => ({
    source,
    table: 'people',
    key: r.rec_id!,
    person: /^rec-(\d+)-/.exec(r.rec_id!)![1]!,
  }));
}

const SETS: readonly AccuracySet[] = [
  {
    name: 'febrl1',
    dir: 'febrl1',
    target: { f1: 0.99, precision: 0.98 },
    truth: (d) => febrlTruth(path.join(d, 'dataset1.csv'), 'febrl'),
  },
  {
    name: 'febrl2',
    dir: 'febrl2',
    target: { f1: 0.95, precision: 0.98 },
    truth: (d) => febrlTruth(path.join(d, 'dataset2.csv'), 'febrl'),
  },
  {
    name: 'febrl4',
    dir: 'febrl4',
    target: { f1: 0.97, precision: 0.98 },
    truth: (d) => [
      ...febrlTruth(path.join(d, 'dataset4a.csv'), 'febrl_a'),
      ...febrlTruth(path.join(d, 'dataset4b.csv'), 'febrl_b'),
    ],
  },
  {
    name: 'fake_1000',
    dir: 'fake_1000',
    target: { f1: 0.85, precision: 0.98 },
    truth: (d) =>
      csvRows(path.join(d, 'fake_1000.csv')).map((r) => ({
        source: 'fake',
        table: 'people',
        key: r.unique_id!,
        person: r.cluster!,
      })),
  },
];

interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

function cdw(args: readonly string[], cwd: string): { out: string; err: string; status: number } {
  const r = spawnSync(process.execPath, [CDW, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { out: r.stdout, err: r.stderr, status: r.status ?? -1 };
}

/** CPU seconds of finished child processes so far (user + system), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime, cstime
  return ticks / 100;
}

const round = (x: number) => Number(x.toFixed(4));

/**
 * Runs each public benchmark set through the CLI exactly as a user would — `cdw run` with the
 * set's cdw.yaml (columns mapped, default identity settings), then `cdw identity evaluate` —
 * and prints pairwise and B-cubed precision/recall/F1 beside the targets.
 * Options: `--set NAME` (one set), `--keep` (keep the work folders).
 */
export async function run(opts: {
  set?: string;
  keep?: boolean;
}): Promise<Record<string, unknown>[]> {
  const chosen = SETS.filter((s) => opts.set === undefined || s.name === opts.set);
  if (chosen.length === 0) throw new Error(`no accuracy set named ${String(opts.set)}`);
  const out: Record<string, unknown>[] = [];
  for (const set of chosen) {
    const work = mkdtempSync(path.join(os.tmpdir(), `cdw-accuracy-${set.name}-`));
    try {
      cpSync(path.join(HERE, 'accuracy', set.dir), work, { recursive: true });
      const truth = set.truth(work);
      writeFileSync(
        path.join(work, 'truth.csv'),
        [
          'source,source_table,record_key,person_id,household_id',
          ...truth.map((t) => [t.source, t.table, t.key, t.person, t.household ?? ''].join(',')),
        ].join('\n') + '\n',
      );
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      const ran = cdw(['run'], work);
      const wall = (performance.now() - t0) / 1000;
      const cpu = childCpuSeconds() - cpu0;
      if (ran.status !== 0) {
        out.push({
          set: set.name,
          error: `cdw run exited ${ran.status}`,
          stderr: ran.err.slice(-2000),
        });
        continue;
      }
      const ev = cdw(['identity', 'evaluate', '--truth', 'truth.csv', '--json'], work);
      if (ev.status !== 0) {
        out.push({
          set: set.name,
          error: `evaluate exited ${ev.status}`,
          stderr: ev.err.slice(-2000),
        });
        continue;
      }
      const e = JSON.parse(ev.out) as {
        records: number;
        pairwise: Scores & { truePositives: number; predictedPairs: number; truePairs: number };
        bcubed: Scores;
        clusters: { truth: number; predicted: number };
        households: Scores | null;
      };
      out.push({
        set: set.name,
        records: e.records,
        pairwise_precision: round(e.pairwise.precision),
        pairwise_recall: round(e.pairwise.recall),
        pairwise_f1: round(e.pairwise.f1),
        true_pairs: e.pairwise.truePairs,
        predicted_pairs: e.pairwise.predictedPairs,
        bcubed_f1: round(e.bcubed.f1),
        clusters_truth: e.clusters.truth,
        clusters_predicted: e.clusters.predicted,
        households_f1: e.households === null ? null : round(e.households.f1),
        target: `F1 >= ${set.target.f1}, precision >= ${set.target.precision}`,
        meets_target:
          e.pairwise.f1 >= set.target.f1 && e.pairwise.precision >= set.target.precision,
        published: set.published ?? null,
        run_wall_seconds: Number(wall.toFixed(2)),
        run_cpu_seconds: Number(cpu.toFixed(2)),
        work: opts.keep ? work : undefined,
      });
    } finally {
      if (!opts.keep) rmSync(work, { recursive: true, force: true });
    }
  }
  return out;
}
