import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { pipelineSteps } from '../../jobs/steps.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { profilesAlone, tableDifferences } from './profiles-alone.ts';

const upToIdentity = () =>
  pipelineSteps().filter((s) => ['extract', 'privacy', 'transform', 'identity'].includes(s.name));
const FACTS = [
  'fact_transactions',
  'fact_interactions',
  'fact_web_sessions',
  'fact_page_views',
  'fact_campaign_contacts',
];
/** What the profiles step writes: facts, golden records, history, lineage (run ids included). */
const CORE = [
  ...FACTS,
  'dim_customer',
  'dim_customer_history',
  'customer_attribute_lineage',
  'customer_sources',
  'customer_id_map',
  'customer_history_corrections',
].map((t) => `core.${t}`);

async function customerCount(file: string): Promise<number> {
  const wh = await Warehouse.open(file, { readOnly: true });
  try {
    return Number(await wh.scalar('SELECT count(*) FROM core.dim_customer'));
  } finally {
    wh.close();
  }
}

/**
 * Demo nights through the real pipeline (extract → transform → identity), then the profiles step
 * of that run twice from the same state at the same run time: built from what changed on the
 * warehouse that goes on to the next night, and refreshed whole on a copy. Each night their
 * facts, golden records, history and lineage are the same rows — while people move, marry,
 * close accounts, merge and split.
 */
describe('profiles built from what changed', () => {
  const tmp = tempDir('cdw-incremental-profiles-');
  let config: CdwConfig;
  const nights: {
    notes: Record<string, string | null>;
    rows: Record<string, number>;
    customers: number;
    diff: Record<string, number>;
  }[] = [];

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    let night = 0;
    await generateDemo({
      dir,
      customers: 150,
      nights: 4,
      seed: 21,
      noise: 'harsh',
      logger: silentLogger,
      onNight: async () => {
        night += 1;
        config ??= loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
        const s = await runPipeline(config, {
          trigger: 'test',
          logger: silentLogger,
          steps: upToIdentity(),
        });
        expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
        const copy = path.join(tmp.dir, 'full.duckdb');
        copyFileSync(config.warehouse.path, copy);
        if (existsSync(`${config.warehouse.path}.wal`))
          copyFileSync(`${config.warehouse.path}.wal`, `${copy}.wal`);
        const now = new Date(Date.UTC(2026, 0, night, 2));
        const run = { runId: s.runId, now };
        const inc = await profilesAlone(config, config.warehouse.path, {
          ...run,
          fullRefresh: false,
        });
        await profilesAlone(config, copy, { ...run, fullRefresh: true });
        nights.push({
          notes: Object.fromEntries(inc.map((x) => [x.source, x.error])),
          rows: Object.fromEntries(inc.map((x) => [x.source, x.rowsIn ?? 0])),
          customers: await customerCount(copy),
          diff: await tableDifferences(config.warehouse.path, copy, CORE),
        });
      },
    });
  }, 900_000);
  afterAll(() => tmp.cleanup());

  it('give each night the facts, golden records, history and lineage a full refresh gives', () => {
    expect(nights.map((n) => n.diff)).toEqual([{}, {}, {}, {}]);
  });

  it('rebuild only the customers whose inputs changed after the first night', () => {
    expect(nights[0]!.notes.customers).toBe('rebuilt whole: first built from what changed');
    for (const n of nights.slice(1)) {
      expect(n.notes.customers).toMatch(/^incremental: \d+ customers rebuilt$/);
      const rebuilt = Number(/(\d+) customers/.exec(n.notes.customers!)![1]);
      expect(rebuilt).toBeGreaterThan(0);
      expect(rebuilt).toBeLessThan(n.customers);
    }
  });

  it('rebuild only the fact rows touched after the first night', () => {
    expect(nights[0]!.notes.fact_transactions).toBe('rebuilt whole: first built from what changed');
    for (const n of nights.slice(1))
      for (const f of FACTS) {
        expect(n.notes[f], f).toMatch(/^incremental: \d+ rows rebuilt$/);
        const rebuilt = Number(/(\d+) rows/.exec(n.notes[f]!)![1]);
        expect(rebuilt, f).toBeLessThan(n.rows[f]!);
      }
  });
});
