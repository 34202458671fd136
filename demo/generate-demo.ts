import path from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Logger } from '../foundation/logger.ts';
import { silentProgress, type Progress } from '../foundation/progress.ts';
import { CONFIG_FILE, DEFAULT_MYSQL_PREFIX, DEFAULT_PG_SCHEMA, demoConfigText } from './config-yaml.ts';
import { prepareDemoDir } from './demo-dir.ts';
import { households, type PopulationSpec } from './households.ts';
import { countHousehold } from './household-counts.ts';
import { writeManifest, type NightResult } from './manifest.ts';
import { nightContext, type DemoSystem } from './night.ts';
import { Outputs } from './sinks/outputs.ts';
import { CsvTableSink } from './sinks/csv-table-sink.ts';
import { PostgresSink } from './sinks/postgres-sink.ts';
import { MysqlSink } from './sinks/mysql-sink.ts';
import type { TableSink } from './sinks/table-spec.ts';
import { Tally, type BadRow } from './tally.ts';
import { TRUTH_FILE, TruthFile } from './truth.ts';
import { BILLING_TABLES, billingSystem } from './systems/billing.ts';
import { ERP_TABLES, erpSystem } from './systems/erp.ts';
import { posSystem } from './systems/pos.ts';
import { webSystem } from './systems/web.ts';
import { contactCenterSystem } from './systems/contact-center.ts';
import { webSignupsSystem } from './systems/web-signups.ts';
import { marketingSystem } from './systems/marketing.ts';
import { DEFAULT_NOISE, type NoiseModel } from './noise.ts';

export type { NightResult } from './manifest.ts';

export interface DemoOptions {
  readonly dir: string;
  readonly customers: number;
  readonly nights: number;
  readonly seed: number;
  /** How much the systems disagree about a person (default `standard`; `harsh`: see demo/CONTEXT.md). */
  readonly noise?: NoiseModel;
  /** PostgreSQL URL: billing goes there (schema `pgSchema`) instead of CSV extracts. */
  readonly pg?: string;
  /** MySQL URL: the ERP goes there (tables `<mysqlPrefix>erp_*`) instead of CSV extracts. */
  readonly mysql?: string;
  readonly pgSchema?: string;
  readonly mysqlPrefix?: string;
  /** `cdw.yaml` naming presets (default) or with every table written out. */
  readonly configStyle?: 'presets' | 'full';
  readonly logger: Logger;
  readonly progress?: Progress;
  /** Called once each night's sources are complete, before the next night is written (the CLI runs the pipeline here). */
  readonly onNight?: (night: NightResult) => Promise<void>;
}

export interface DemoResult {
  readonly dir: string;
  readonly configPath: string;
  readonly truthPath: string;
  readonly nights: readonly NightResult[];
  /** Problems and events over all nights, by `system.problem`. */
  readonly totals: Readonly<Record<string, number>>;
  readonly persons: number;
  readonly households: number;
  readonly seconds: number;
}

/** Persons between awaits of the outputs: small enough to keep memory flat, big enough to be cheap. */
const DRAIN_EVERY = 256;

/**
 * Generates the demo company into `dir`, night by night: billing, ERP, POS, web and contact
 * centre sources with the problems real data has, `cdw.yaml` for them, `truth.csv` and the
 * `nights/` manifest. Deterministic: the same options give byte-identical files.
 */
export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const dir = path.resolve(opts.dir);
  const progress = opts.progress ?? silentProgress;
  const noise = opts.noise ?? DEFAULT_NOISE;
  const spec: PopulationSpec = { seed: opts.seed, customers: opts.customers, noise };
  prepareDemoDir(dir);
  const configPath = path.join(dir, CONFIG_FILE);
  writeFileSync(configPath, demoConfigText({ ...opts, noise, style: opts.configStyle }));

  const sinks: TableSink[] = [];
  const billingSink = await tableSink(dir, opts.pg === undefined ? undefined : new PostgresSink(opts.pg, opts.pgSchema ?? DEFAULT_PG_SCHEMA, BILLING_TABLES), sinks);
  const erpSink = await tableSink(dir, opts.mysql === undefined ? undefined : new MysqlSink(opts.mysql, opts.mysqlPrefix ?? DEFAULT_MYSQL_PREFIX, ERP_TABLES), sinks, true);
  const systems: DemoSystem[] = [billingSystem(billingSink), erpSystem(erpSink), posSystem(), webSystem(), contactCenterSystem()];
  if (noise === 'harsh') systems.push(webSignupsSystem());
  systems.push(marketingSystem());
  const nights: NightResult[] = [];
  const totals = new Tally();
  try {
    for (let night = 1; night <= opts.nights; night++) {
      const r = await generateNight(dir, spec, night, systems, progress);
      nights.push(r);
      totals.merge(tallyOf(r.counts));
      writeManifest(dir, { seed: opts.seed, customers: opts.customers, ...(noise === DEFAULT_NOISE ? {} : { noise }), storage: { billing: opts.pg ? 'postgres' : 'csv', erp: opts.mysql ? 'mysql' : 'csv' } }, nights, totals.toJSON());
      opts.logger.info(`demo night ${night} (${r.date}): ${r.persons} persons, ${r.truthRows} new party records, ${r.badRows.length} deliberately bad rows`);
      if (opts.onNight) await opts.onNight(r);
    }
  } finally {
    for (const s of sinks) await s.close();
  }
  const last = nights[nights.length - 1];
  return {
    dir,
    configPath,
    truthPath: path.join(dir, TRUTH_FILE),
    nights,
    totals: totals.toJSON(),
    persons: last?.persons ?? 0,
    households: last?.households ?? 0,
    seconds: (performance.now() - started) / 1000,
  };
}

function tallyOf(counts: Readonly<Record<string, number>>): Tally {
  const t = new Tally();
  for (const [k, v] of Object.entries(counts)) t.add(k, v);
  return t;
}

async function tableSink(dir: string, db: PostgresSink | MysqlSink | undefined, all: TableSink[], bom = false): Promise<TableSink> {
  if (db !== undefined) await db.create();
  const sink = db ?? new CsvTableSink(dir, { bom });
  all.push(sink);
  return sink;
}

async function generateNight(dir: string, spec: PopulationSpec, night: number, systems: readonly DemoSystem[], progress: Progress): Promise<NightResult> {
  const tally = new Tally();
  const outputs = new Outputs();
  const badRows: BadRow[] = [];
  const written = new Map<string, number>();
  const truth = outputs.add(new TruthFile(dir, night > 1));
  const ctx = nightContext({ seed: spec.seed, customers: spec.customers, noise: spec.noise ?? DEFAULT_NOISE, night, dir, tally, truth, outputs, badRows, written });
  try {
    const open = [];
    for (const s of systems) open.push(await s.startNight(ctx));
    progress.start(`demo night ${night}`, spec.customers);
    let persons = 0;
    let hh = 0;
    let sinceDrain = 0;
    for (const h of households(spec, night)) {
      hh++;
      countHousehold(h, night, tally);
      for (const p of h.members) {
        for (const s of open) s.person(p);
        persons++;
        if (++sinceDrain === DRAIN_EVERY) {
          sinceDrain = 0;
          progress.tick(DRAIN_EVERY);
          await outputs.drain();
        }
      }
    }
    progress.tick(sinceDrain);
    for (const s of open) await s.finish();
    await outputs.close();
    progress.done(`${persons.toLocaleString('en-US')} persons`);
    return {
      night,
      date: ctx.date,
      persons,
      households: hh,
      written: Object.fromEntries([...written].sort(([a], [b]) => (a < b ? -1 : 1))),
      truthRows: truth.rows,
      badRows,
      counts: tally.toJSON(),
    };
  } catch (err) {
    await outputs.close().catch(() => undefined);
    throw err;
  }
}
