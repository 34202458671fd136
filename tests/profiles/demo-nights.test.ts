import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { memoryLogger, silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { pipelineSteps } from '../../jobs/steps.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { profilesStep } from '../../warehouse/profiles/profiles-step.ts';
import { tempDir } from '../helpers/warehouse.ts';

/** Nightly steps up to profiles (marts and reports are not what this test is about). */
const upToProfiles = () => pipelineSteps().filter((s) => !['marts', 'reports'].includes(s.name));

/**
 * Three nights of the demo company through extract → transform → identity → profiles, judged
 * against the demo's ground truth (truth.csv) and its scripted people: a mover, a bride, a
 * customer with a nickname in one system.
 */
describe('profiles over three demo nights', () => {
  const tmp = tempDir('cdw-profiles-demo-');
  let config: CdwConfig;
  let wh: Warehouse;
  const runIds: string[] = [];

  beforeAll(async () => {
    const dir = path.join(tmp.dir, 'demo');
    await generateDemo({
      dir,
      customers: 150,
      nights: 3,
      seed: 42,
      logger: silentLogger,
      onNight: async () => {
        config ??= loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
        const s = await runPipeline(config, {
          trigger: 'test',
          logger: silentLogger,
          steps: upToProfiles(),
        });
        expect(
          s.steps
            .filter((x) => x.status !== 'succeeded')
            .map((x) => `${x.step} ${x.source}: ${x.error}`),
        ).toEqual([]);
        runIds.push(s.runId);
      },
    });
    wh = await Warehouse.open(config.warehouse.path);
    await wh.run(
      `CREATE TEMP TABLE truth AS SELECT * FROM read_csv(${quoteLiteral(path.join(dir, 'truth.csv'))}, all_varchar = true)`,
    );
  }, 600_000);
  afterAll(() => {
    wh?.close();
    tmp.cleanup();
  });

  /** The customer ids holding the records of the person who has the given staging record. */
  async function customersOfPersonWith(where: string): Promise<number[]> {
    const rows = await wh.all<{ customer_id: number }>(`
      SELECT DISTINCT x.customer_id FROM truth t
      JOIN core.customer_xref x ON x.source = t.source AND x.source_table = t.source_table AND x.record_key = t.record_key
      WHERE t.person_id IN (
        SELECT t2.person_id FROM staging.party_records p
        JOIN truth t2 ON t2.source = p.source AND t2.source_table = p.source_table AND t2.record_key = p.record_key
        WHERE ${where})`);
    return rows.map((r) => Number(r.customer_id));
  }

  async function versions(id: number) {
    return wh.all(
      'SELECT * FROM core.dim_customer_history WHERE customer_id = $1 ORDER BY valid_from',
      [id],
    );
  }

  it('the mover has two versions: the old address until the move, the new one since', async () => {
    const ids = await customersOfPersonWith(
      "p.source = 'billing' AND p.first_key = 'jennifer' AND p.last_key = 'davis' AND p.city_norm ILIKE 'san francisco%'",
    );
    expect(ids).toHaveLength(1);
    const v = await versions(ids[0]!);
    expect(v).toHaveLength(2);
    expect(v[0]!.address).not.toBe(v[1]!.address);
    expect(v[1]).toMatchObject({
      change_reason: 'change',
      changed_attributes: ['address'],
      is_current: true,
    });
    expect(v[0]!.valid_to).toEqual(v[1]!.valid_from);
    expect((v[1]!.valid_from as Date).toISOString().slice(0, 10)).toBe('2026-11-02');
  });

  it('the bride keeps one history: her surname changes once, on the night of the marriage', async () => {
    const ids = await customersOfPersonWith(
      "p.source = 'pos' AND p.first_key = 'ekaterina' AND p.last_key = 'volkova'",
    );
    expect(ids).toHaveLength(1);
    const v = await versions(ids[0]!);
    expect(['Volkova', 'Волкова']).toContain(v[0]!.last_name);
    // her name in one script, whichever systems gave its parts
    for (const x of v) expect(String(x.full_name)).toMatch(/^([A-Za-z' -]+|[\u0400-\u04FF' -]+)$/);
    const surname = v.filter((x) =>
      (x.changed_attributes as string[] | null)?.includes('last_name'),
    );
    expect(surname).toHaveLength(1);
    expect(['Orlova', 'Орлова']).toContain(surname[0]!.last_name);
    expect((surname[0]!.valid_from as Date).toISOString().slice(0, 10)).toBe('2026-11-02');
    expect(['Orlova', 'Орлова']).toContain(
      (await wh.one('SELECT last_name FROM core.dim_customer WHERE customer_id = $1', [ids[0]!]))!
        .last_name,
    );
  });

  it('a customer nothing happened to has one version, whatever the nicknames in other systems', async () => {
    const ids = await customersOfPersonWith(
      "p.source = 'billing' AND p.first_key = 'robert' AND p.last_key = 'johnson' AND p.city_norm ILIKE 'boston%'",
    );
    expect(ids).toHaveLength(1);
    expect(await versions(ids[0]!)).toHaveLength(1);
    const share = Number(
      await wh.scalar(
        'SELECT avg(CASE WHEN n = 1 THEN 1 ELSE 0 END) FROM (SELECT count(*) AS n FROM core.dim_customer_history GROUP BY customer_id)',
      ),
    );
    expect(share).toBeGreaterThan(0.9);
  });

  it('history stays SCD2: no overlaps or gaps, one current version, which is the golden record', async () => {
    expect(
      Number(
        await wh.scalar(`SELECT count(*) FROM (
      SELECT valid_to, lead(valid_from) OVER (PARTITION BY customer_id ORDER BY valid_from) AS next_from
      FROM core.dim_customer_history) WHERE next_from IS NOT NULL AND next_from <> valid_to`),
      ),
    ).toBe(0);
    expect(
      Number(
        await wh.scalar(`SELECT count(*) FROM (SELECT customer_id FROM core.dim_customer_history GROUP BY customer_id
      HAVING count(*) FILTER (WHERE is_current) <> 1 AND bool_and(merged_into IS NULL))`),
      ),
    ).toBe(0);
    expect(
      Number(
        await wh.scalar(`SELECT count(*) FROM core.dim_customer c JOIN core.dim_customer_history h
      ON h.customer_id = c.customer_id AND h.is_current
      WHERE h.last_name IS DISTINCT FROM c.last_name OR h.address IS DISTINCT FROM c.address OR h.email IS DISTINCT FROM c.email`),
      ),
    ).toBe(0);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer'))).toBe(
      Number(await wh.scalar('SELECT count(DISTINCT customer_id) FROM core.customer_xref')),
    );
  });

  it('every fact row of the last night is accounted for, per fact table', async () => {
    const rows = await wh.all<Record<string, number | string>>(
      'SELECT * FROM core.fact_resolution WHERE run_id = $1 ORDER BY fact_table',
      [runIds.at(-1)!],
    );
    expect(rows.map((r) => r.fact_table)).toEqual([
      'fact_campaign_contacts',
      'fact_interactions',
      'fact_page_views',
      'fact_transactions',
      'fact_web_sessions',
    ]);
    const staging: Record<string, string> = {
      fact_campaign_contacts: 'campaign_contacts',
      fact_interactions: 'interactions',
      fact_page_views: 'web_hits',
      fact_transactions: 'transactions',
      fact_web_sessions: 'web_sessions',
    };
    for (const r of rows) {
      const n = (k: string) => Number(r[k]);
      expect(n('rows_in')).toBe(
        Number(await wh.scalar(`SELECT count(*) FROM staging.${staging[r.fact_table as string]}`)),
      );
      expect(n('rows_out')).toBe(
        Number(await wh.scalar(`SELECT count(*) FROM core.${r.fact_table as string}`)),
      );
      expect(n('rows_in')).toBe(n('rows_out') + n('not_fact'));
      expect(n('rows_out')).toBe(n('resolved') + n('unresolved'));
      expect(n('resolved')).toBe(
        n('by_party_key') +
          n('by_card') +
          n('by_email') +
          n('by_phone') +
          n('by_user_id') +
          n('by_cookie'),
      );
      expect(n('resolved')).toBeGreaterThan(0);
    }
  });

  it('a rerun of the night adds no version; a vanished customer is marked deleted; a truncated source ends nobody', async () => {
    wh.close();
    const before = await (async () => {
      const w = await Warehouse.open(config.warehouse.path);
      try {
        return Number(await w.scalar('SELECT count(*) FROM core.dim_customer_history'));
      } finally {
        w.close();
      }
    })();
    const rerun = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: upToProfiles(),
    });
    expect(rerun.status).toBe('succeeded');
    wh = await Warehouse.open(config.warehouse.path);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer_history'))).toBe(before);
    expect(
      Number(
        await wh.scalar('SELECT count(*) FROM core.dim_customer_history WHERE run_id = $1', [
          rerun.runId,
        ]),
      ),
    ).toBe(0);

    // A billing account closed for good: its person's records leave staging (as a source that
    // tombstones deleted keys would have them leave). Only the profiles step runs on it.
    const gone = await wh.one<{ customer_id: number }>(`
      SELECT x.customer_id FROM core.customer_xref x GROUP BY x.customer_id
      HAVING count(*) = 1 AND bool_and(x.source = 'billing') ORDER BY x.customer_id LIMIT 1`);
    expect(gone).toBeDefined();
    await wh.run(
      'DELETE FROM staging.party_records WHERE party_uid IN (SELECT party_uid FROM core.customer_xref WHERE customer_id = $1)',
      [gone!.customer_id],
    );
    await wh.run('DELETE FROM core.customer_xref WHERE customer_id = $1', [gone!.customer_id]);
    const night4 = await runPipeline(config, {
      trigger: 'test',
      logger: silentLogger,
      steps: [profilesStep],
      warehouse: wh,
    });
    expect(night4.status).toBe('succeeded');
    expect(
      await wh.all(
        'SELECT is_deleted, is_current, change_reason FROM core.dim_customer_history WHERE customer_id = $1 ORDER BY valid_from',
        [gone!.customer_id],
      ),
    ).toEqual(
      expect.arrayContaining([{ is_deleted: true, is_current: true, change_reason: 'deleted' }]),
    );
    expect(
      await wh.one('SELECT is_deleted FROM core.dim_customer WHERE customer_id = $1', [
        gone!.customer_id,
      ]),
    ).toEqual({ is_deleted: true });

    // The POS extract comes back empty: nobody it knew is end-dated.
    const posCustomers = Number(
      await wh.scalar(
        "SELECT count(DISTINCT customer_id) FROM core.customer_xref WHERE source = 'pos'",
      ),
    );
    expect(posCustomers).toBeGreaterThan(10);
    await wh.run("DELETE FROM staging.party_records WHERE source = 'pos'");
    await wh.run("DELETE FROM core.customer_xref WHERE source = 'pos'");
    const logger = memoryLogger();
    const night5 = await runPipeline(config, {
      trigger: 'test',
      logger,
      steps: [profilesStep],
      warehouse: wh,
    });
    expect(night5.status).toBe('succeeded');
    expect(
      Number(
        await wh.scalar('SELECT count(*) FROM core.dim_customer_history WHERE run_id = $1', [
          night5.runId,
        ]),
      ),
    ).toBe(0);
    expect(Number(await wh.scalar('SELECT count(*) FROM core.dim_customer WHERE is_deleted'))).toBe(
      1,
    );
    expect(
      logger.lines.some((l) =>
        /^warn: profiles: source pos: 0 party records tonight, \d+ last accepted; end-dating and deletions held for \d+ customers/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      await wh.one(
        "SELECT status, target FROM meta.dq_results WHERE check_name = 'profiles_shrink_guard' AND run_id = $1",
        [night5.runId],
      ),
    ).toEqual({ status: 'failed', target: 'pos' });
  });
});
