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
 * A benchmark set: how its files, `cdw.yaml` and `truth.csv` come into a fresh work folder, and
 * the cdw command that loads them there. `cdw identity evaluate` then scores against truth.csv.
 */
interface AccuracySet {
  readonly name: string;
  /** What the "Done when" asks of this set, printed beside the figures. */
  readonly target: { readonly f1: number; readonly precision: number };
  /** Published figures of other tools on this set, when known (printed, never used). */
  readonly published?: string;
  /** Fills `work` and returns the arguments of the cdw command that loads it (run in `work`). */
  prepare(work: string): readonly string[];
}

/**
 * A public set: a folder of bench/accuracy/ with its data and a `cdw.yaml` that maps columns
 * and sets nothing else, loaded by `cdw run`. The labels are never mapped: `truth` reads them
 * from the set's own files to write truth.csv.
 */
function publicSet(
  name: string,
  target: AccuracySet['target'],
  truth: (dir: string) => TruthRow[],
): AccuracySet {
  return {
    name,
    target,
    prepare(work) {
      cpSync(path.join(HERE, 'accuracy', name), work, { recursive: true });
      const rows = truth(work);
      const households = rows.some((t) => t.household !== undefined);
      writeFileSync(
        path.join(work, 'truth.csv'),
        [
          `source,source_table,record_key,person_id${households ? ',household_id' : ''}`,
          ...rows.map((t) =>
            [t.source, t.table, t.key, t.person, ...(households ? [t.household ?? ''] : [])].join(
              ',',
            ),
          ),
        ].join('\n') + '\n',
      );
      return ['run'];
    },
  };
}

/** Size of the demo sets: enough people for every harsh case, small enough for a minute or two. */
const DEMO_SIZE = ['--customers', '5000', '--nights', '2', '--seed', '42'] as const;

/**
 * The demo company as a user gets it from `cdw demo` (its generated cdw.yaml, the nightly job
 * run after each night), scored against the truth.csv it writes, households included.
 */
function demoSet(
  name: string,
  noise: 'standard' | 'harsh',
  target: AccuracySet['target'],
): AccuracySet {
  return {
    name,
    target,
    prepare: () => ['demo', '--dir', '.', ...DEMO_SIZE, '--noise', noise],
  };
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
  publicSet('febrl1', { f1: 0.99, precision: 0.98 }, (d) =>
    febrlTruth(path.join(d, 'dataset1.csv'), 'febrl'),
  ),
  publicSet('febrl2', { f1: 0.95, precision: 0.98 }, (d) =>
    febrlTruth(path.join(d, 'dataset2.csv'), 'febrl'),
  ),
  publicSet('febrl4', { f1: 0.97, precision: 0.98 }, (d) => [
    ...febrlTruth(path.join(d, 'dataset4a.csv'), 'febrl_a'),
    ...febrlTruth(path.join(d, 'dataset4b.csv'), 'febrl_b'),
  ]),
  publicSet('fake_1000', { f1: 0.85, precision: 0.98 }, (d) =>
    csvRows(path.join(d, 'fake_1000.csv')).map((r) => ({
      source: 'fake',
      table: 'people',
      key: r.unique_id!,
      person: r.cluster!,
    })),
  ),
  demoSet('demo', 'standard', { f1: 0.98, precision: 0.99 }),
  demoSet('harsh_demo', 'harsh', { f1: 0.95, precision: 0.98 }),
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
 * Runs each benchmark set through the CLI exactly as a user would — `cdw run` with a public
 * set's cdw.yaml (columns mapped, default identity settings), or `cdw demo` for the demo
 * company (standard and harsh noise, its generated cdw.yaml, a nightly run per night) — then
 * `cdw identity evaluate`, and prints pairwise and B-cubed precision/recall/F1 (households
 * where the truth has them) beside the targets.
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
      const load = set.prepare(work);
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      const ran = cdw(load, work);
      const wall = (performance.now() - t0) / 1000;
      const cpu = childCpuSeconds() - cpu0;
      if (ran.status !== 0) {
        out.push({
          set: set.name,
          error: `cdw ${load.join(' ')} exited ${ran.status}`,
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
        loaded_by: `cdw ${load.join(' ')}`,
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
