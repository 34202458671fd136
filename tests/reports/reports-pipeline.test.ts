import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { martsStep } from '../../jobs/reports/marts-step.ts';
import { reportsStep } from '../../jobs/reports/reports-step.ts';
import { REPORTS } from '../../jobs/reports/report-catalog.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { fileWorld } from './fixture/file-world.ts';

const SEGMENTS = `segments:
  - name: buyers
    where: frequency > 0`;

describe('the marts and reports steps in a pipeline run', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('cdw-reports-run-');
  });
  afterEach(() => tmp.cleanup());

  const run = async (configFile: string) => {
    const config = loadConfig(configFile, { env: {} });
    const summary = await runPipeline(config, {
      trigger: 'test',
      logger: memoryLogger(),
      steps: [martsStep, reportsStep],
    });
    const wh = await Warehouse.open(config.warehouse.path, { readOnly: true });
    try {
      const steps = await wh.all(
        'SELECT step, source, status, rows_out, error FROM meta.run_steps WHERE run_id = $1 ORDER BY step, source',
        [summary.runId],
      );
      return { summary, steps, dir: config.reports.dir };
    } finally {
      wh.close();
    }
  };

  it('records one unit per mart and report and writes every report in each format plus the overview', async () => {
    const cfg = await fileWorld(
      tmp.dir,
      `dir: out\nformats: [csv, parquet]\n${SEGMENTS}`,
      new Date(),
    );
    const { summary, steps, dir } = await run(cfg);
    expect(summary.status).toBe('succeeded');
    const marts = steps.filter((s) => s.step === 'marts' && s.source !== '');
    expect(marts.map((s) => s.source).sort()).toEqual([
      'campaign_results',
      'campaign_service_load',
      'cross_sell',
      'customer_360',
      'customer_segments',
      'data_quality',
      'nightly_trend',
      'segment_members',
      'service_daily',
    ]);
    expect(marts.every((s) => s.status === 'succeeded')).toBe(true);
    expect(marts.find((s) => s.source === 'customer_360')?.rows_out).toBe(10);
    expect(marts.find((s) => s.source === 'segment_members')?.rows_out).toBe(9);
    const reports = steps.filter((s) => s.step === 'reports' && s.source !== '');
    expect(reports).toHaveLength(REPORTS.length + 1);
    for (const r of REPORTS) {
      expect(existsSync(path.join(dir, `${r.name}.csv`)), r.name).toBe(true);
      expect(existsSync(path.join(dir, `${r.name}.parquet`)), r.name).toBe(true);
    }
    expect(readFileSync(path.join(dir, 'overview.html'), 'utf8')).toContain(
      'Customer data warehouse',
    );
    expect(readFileSync(path.join(dir, 'cross_sell.csv'), 'utf8').split('\n')[0]).toBe(
      'household_id,product,product_category,customer_id,full_name,holders,holder_count,household_size',
    );
    const check = await Warehouse.open(':memory:');
    try {
      const file = path.join(dir, 'customer_360.parquet');
      expect(
        await check.scalar(`SELECT count(*) FROM read_parquet('${file.replaceAll("'", "''")}')`),
      ).toBe(10);
      const anna = await check.one(
        `SELECT known_to FROM read_parquet('${file.replaceAll("'", "''")}') WHERE customer_id = 1`,
      );
      expect(anna?.known_to).toEqual(['billing', 'cc']); // no sources in this config: the contact centre is named by its source
    } finally {
      check.close();
    }
  });

  it('a bad segment rule fails its unit with a message naming the segment; the rest is built and written', async () => {
    const cfg = await fileWorld(
      tmp.dir,
      `dir: out\n${SEGMENTS}\n  - name: broken_rule\n    where: lifecycle_stag = 'new'`,
      new Date(),
    );
    const { summary, steps, dir } = await run(cfg);
    expect(summary.status).toBe('partial');
    const seg = steps.find((s) => s.step === 'marts' && s.source === 'segment_members');
    expect(seg?.status).toBe('failed');
    expect(seg?.error).toMatch(
      /^reports\.segments "broken_rule": the where condition does not work over marts\.customer_segments: .*lifecycle_stag/,
    );
    expect(seg?.error).not.toMatch(/\n\s+at /);
    expect(steps.filter((s) => s.status === 'failed').map((s) => s.source)).toEqual([
      'segment_members',
    ]);
    expect(readFileSync(path.join(dir, 'segments.csv'), 'utf8')).toMatch(/broken_rule,.*,false,/);
  });

  it('a missing input fails the marts that read it by name, and the marts that depend on them', async () => {
    const cfg = await fileWorld(tmp.dir, 'dir: out', new Date(), async (wh) =>
      wh.run('DROP TABLE core.fact_page_views'),
    );
    const { steps } = await run(cfg);
    const byUnit = Object.fromEntries(
      steps.filter((s) => s.step === 'marts' && s.source !== '').map((s) => [s.source, s]),
    );
    expect(byUnit.customer_360?.status).toBe('failed');
    expect(byUnit.customer_360?.error).toMatch(
      /^mart customer_360 not built: core\.fact_page_views does not exist/,
    );
    expect(byUnit.customer_segments?.error).toBe(
      'mart customer_segments not built: it needs customer_360, which failed in this run',
    );
    expect(byUnit.service_daily?.status).toBe('succeeded');
  });
});
