import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteLiteral } from '../../foundation/sql.ts';
import { martsStep } from '../../jobs/reports/marts-step.ts';
import { reportsStep } from '../../jobs/reports/reports-step.ts';
import { REPORTS } from '../../jobs/reports/report-catalog.ts';
import { tempDir } from '../helpers/warehouse.ts';

/** Marts that hold a row set per run (the run id differs between two runs by nature). */
const PER_RUN = /^(data_quality|nightly_|run_as_of)/;
const FILES = REPORTS.filter((r) => !PER_RUN.test(r.table)).map((r) => `${r.name}.csv`);

function copyWarehouse(config: CdwConfig, to: string, reportsDir: string): CdwConfig {
  copyFileSync(config.warehouse.path, to);
  if (existsSync(`${config.warehouse.path}.wal`))
    copyFileSync(`${config.warehouse.path}.wal`, `${to}.wal`);
  return {
    ...config,
    warehouse: { ...config.warehouse, path: to },
    reports: { ...config.reports, dir: reportsDir },
  };
}

/** Rows only in one of the two warehouses, per marts table (`{}` when every table is the same). */
async function martDifferences(a: string, b: string): Promise<Record<string, number>> {
  const wh = await Warehouse.open(a);
  try {
    await wh.run(`ATTACH ${quoteLiteral(b)} AS other (READ_ONLY)`);
    const tables = await wh.all<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: Record<string, number> = {};
    for (const { table_name: t } of tables) {
      if (PER_RUN.test(t)) continue;
      const n = Number(
        await wh.scalar(
          `SELECT count(*) FROM ((FROM marts.${t} EXCEPT ALL FROM other.marts.${t}) UNION ALL (FROM other.marts.${t} EXCEPT ALL FROM marts.${t}))`,
        ),
      );
      if (n > 0) out[t] = n;
    }
    return out;
  } finally {
    wh.close();
  }
}

/** The report files that differ byte for byte between two report folders. */
function fileDifferences(a: string, b: string): string[] {
  return FILES.filter((f) => !readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))));
}

const notes = (s: RunSummary, step: string) =>
  Object.fromEntries(s.steps.filter((x) => x.step === step).map((x) => [x.source, x.error]));

/**
 * Demo nights through the whole nightly job (people move, marry, merge, split, leave and come
 * back; campaigns go out on nights 1 and 3; the business date moves each night): after each
 * night, the marts and report files built from what changed equal those a full refresh of marts
 * and reports gives on a copy — with campaign responses of the recipient alone, and of their
 * household (which answers differently as people marry and move).
 */
describe.each(['customer', 'household'] as const)(
  'marts and reports built from what changed (campaign attribution: %s)',
  (attribution) => {
    const tmp = tempDir('cdw-incremental-marts-');
    let config: CdwConfig;
    const nights: {
      marts: Record<string, string | null>;
      diff: Record<string, number>;
      files: string[];
      customers: number;
      recipients: number;
    }[] = [];

    beforeAll(async () => {
      const dir = path.join(tmp.dir, 'demo');
      let night = 0;
      await generateDemo({
        dir,
        customers: 150,
        nights: 4,
        seed: 8,
        noise: 'harsh',
        logger: silentLogger,
        onNight: async () => {
          night += 1;
          if (config === undefined) {
            const loaded = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
            config = { ...loaded, campaigns: { ...loaded.campaigns, attribution } };
          }
          const s = await runPipeline(config, { trigger: 'test', logger: silentLogger });
          expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
          const full = copyWarehouse(
            config,
            path.join(tmp.dir, `full-${night}.duckdb`),
            path.join(tmp.dir, `full-reports-${night}`),
          );
          const f = await runPipeline(full, {
            trigger: 'full-refresh',
            fullRefresh: true,
            logger: silentLogger,
            steps: [martsStep, reportsStep],
          });
          expect(f.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
          const wh = await Warehouse.open(config.warehouse.path, { readOnly: true });
          const customers = Number(await wh.scalar('SELECT count(*) FROM marts.customer_360'));
          const recipients = Number(
            await wh.scalar('SELECT count(*) FROM marts.campaign_contacts'),
          );
          wh.close();
          nights.push({
            marts: notes(s, 'marts'),
            diff: await martDifferences(config.warehouse.path, full.warehouse.path),
            files: fileDifferences(config.reports.dir, full.reports.dir),
            customers,
            recipients,
          });
        },
      });
    }, 900_000);
    afterAll(() => tmp.cleanup());

    it('give each night the marts and files a full refresh gives', () => {
      expect(nights.map((n) => n.diff)).toEqual([{}, {}, {}, {}]);
      expect(nights.map((n) => n.files)).toEqual([[], [], [], []]);
    });

    it('rebuild only the customers whose inputs changed after the first night', () => {
      expect(nights[0]!.marts.customer_360).toBe('rebuilt whole: first built from what changed');
      for (const n of nights.slice(1)) {
        const m = /^incremental: (\d+) customers rebuilt$/.exec(n.marts.customer_360 ?? '');
        expect(m, n.marts.customer_360 ?? '').not.toBeNull();
        expect(Number(m![1])).toBeLessThan(n.customers);
      }
    });

    it('rebuild only the campaign recipients whose inputs changed after the first night', () => {
      expect(nights[0]!.recipients).toBeGreaterThan(0);
      expect(nights[0]!.marts.campaign_results).toBe(
        'rebuilt whole: first built from what changed',
      );
      for (const n of nights.slice(1)) {
        const m = /^incremental: (\d+) recipients rebuilt$/.exec(n.marts.campaign_results ?? '');
        expect(m, n.marts.campaign_results ?? '').not.toBeNull();
        expect(Number(m![1])).toBeLessThan(n.recipients);
      }
    });

    it('skip every mart and file when nothing changed, and keep the files as they were', async () => {
      const before = Object.fromEntries(
        FILES.map((f) => [f, statSync(path.join(config.reports.dir, f)).mtimeMs]),
      );
      const s = await runPipeline(config, {
        trigger: 'test',
        logger: silentLogger,
        steps: [martsStep, reportsStep],
      });
      expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
      const marts = notes(s, 'marts');
      expect(marts.customer_360).toBe('incremental: 0 customers rebuilt');
      expect(marts.campaign_results).toBe('incremental: 0 recipients rebuilt');
      for (const name of ['customer_segments', 'segment_members', 'cross_sell', 'service_daily'])
        expect(marts[name], name).toBe('unchanged inputs: not rebuilt');
      const after = Object.fromEntries(
        FILES.map((f) => [f, statSync(path.join(config.reports.dir, f)).mtimeMs]),
      );
      expect(after).toEqual(before);
    });
  },
);
