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
import { quoteLiteral } from '../../foundation/sql.ts';
import { profilesStep } from '../../warehouse/profiles/profiles-step.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { killStepAt } from '../helpers/kill-step.ts';

const FACTS = ['fact_transactions', 'fact_interactions', 'fact_campaign_contacts'];

function copyWarehouse(config: CdwConfig, to: string): CdwConfig {
  copyFileSync(config.warehouse.path, to);
  if (existsSync(`${config.warehouse.path}.wal`))
    copyFileSync(`${config.warehouse.path}.wal`, `${to}.wal`);
  return { ...config, warehouse: { ...config.warehouse, path: to } };
}

/** Rows only in one of the two warehouses' fact tables (or change notes), per table. */
async function differences(a: string, b: string): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a);
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    const out: Record<string, number> = {};
    for (const t of [...FACTS.map((f) => `core.${f}`), 'meta.staging_changes']) {
      const n = Number(
        await wh.scalar(
          `SELECT count(*) FROM ((FROM ${t} EXCEPT ALL FROM other.${t}) UNION ALL (FROM other.${t} EXCEPT ALL FROM ${t}))`,
        ),
      );
      if (n > 0) out[t] = n;
    }
    return out;
  } finally {
    wh.close();
  }
}

describe('facts built from what changed, killed inside a fact transaction', () => {
  const tmp = tempDir('cdw-facts-kill-');
  let config: CdwConfig;
  let configPath: string;
  let reference: string;

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    configPath = path.join(dir, 'cdw.yaml');
    let night = 0;
    await generateDemo({
      dir,
      customers: 120,
      nights: 2,
      seed: 13,
      logger: silentLogger,
      onNight: async () => {
        night += 1;
        config ??= loadConfig(configPath, { env: {} });
        // night 2 goes up to identity: the killed runs build its profiles
        const steps = pipelineSteps().filter((s) =>
          night === 1
            ? !['marts', 'reports'].includes(s.name)
            : ['extract', 'transform', 'identity'].includes(s.name),
        );
        const s = await runPipeline(config, { trigger: 'test', logger: silentLogger, steps });
        expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
      },
    });
    const ref = copyWarehouse(config, path.join(tmp.dir, 'reference.duckdb'));
    const s = await runPipeline(ref, {
      trigger: 'test',
      logger: silentLogger,
      steps: [profilesStep],
    });
    expect(s.status).toBe('succeeded');
    reference = ref.warehouse.path;
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('keeps the change notes; the rerun gives the facts an uninterrupted night gives', async () => {
    const killed = copyWarehouse(config, path.join(tmp.dir, 'killed.duckdb'));
    await killStepAt(
      configPath,
      killed.warehouse.path,
      'core.fact_interactions rows replaced',
      'profiles',
    );
    const wh = await Warehouse.open(killed.warehouse.path, { readOnly: true });
    try {
      // the transactions fact committed (its notes taken in); the interactions one did not,
      // nor the web facts built after it
      expect(await wh.all(`SELECT DISTINCT model FROM meta.staging_changes ORDER BY 1`)).toEqual([
        { model: 'interactions' },
        { model: 'web_hits' },
        { model: 'web_sessions' },
      ]);
    } finally {
      wh.close();
    }
    const s = await runPipeline(killed, {
      trigger: 'test',
      logger: silentLogger,
      steps: [profilesStep],
    });
    expect(s.status).toBe('succeeded');
    expect(await differences(killed.warehouse.path, reference)).toEqual({});
  });

  it('killed inside the customers unit, the rerun builds the same customers, no version twice', async () => {
    const killed = copyWarehouse(config, path.join(tmp.dir, 'killed-customers.duckdb'));
    const before = await customerState(killed.warehouse.path);
    await killStepAt(
      configPath,
      killed.warehouse.path,
      'profiles: customers rebuilt; recording what they were built from',
      'profiles',
    );
    // the unit's transaction never committed: nothing of it is seen
    expect(await customerState(killed.warehouse.path)).toEqual(before);
    const s = await runPipeline(killed, {
      trigger: 'test',
      logger: silentLogger,
      steps: [profilesStep],
    });
    expect(s.status).toBe('succeeded');
    // the reference ran at another time: versions dated "now" differ in time, not in number,
    // reason or content; the fingerprints (what each customer was built from) are the same
    expect(await customerState(killed.warehouse.path)).toEqual(await customerState(reference));
  });
});

/** What the customers unit wrote, without its run times and ids. */
async function customerState(file: string): Promise<Record<string, unknown>> {
  const wh = await Warehouse.open(file, { readOnly: true });
  try {
    const q = async (sql: string) =>
      (await wh.all(sql)).map((r) =>
        JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      );
    const has = await wh.tableExists('meta', 'profile_inputs');
    return {
      versions: await q(
        `SELECT customer_id, row_hash, change_reason, is_current, is_deleted, merged_into
         FROM core.dim_customer_history ORDER BY ALL`,
      ),
      lineage: await q(
        `SELECT customer_id, attribute, value, party_uid FROM core.customer_attribute_lineage ORDER BY ALL`,
      ),
      golden: await q(
        `SELECT customer_id, lineage_hash, household_id, record_count, last_name, address FROM core.dim_customer ORDER BY ALL`,
      ),
      inputs: has
        ? await q(`SELECT customer_id, fingerprint, row_hash FROM meta.profile_inputs ORDER BY ALL`)
        : [],
    };
  } finally {
    wh.close();
  }
}
