import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../jobs/cli/main.ts';
import { loadConfig } from '../jobs/config/load.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { silentLogger } from '../foundation/logger.ts';
import { buildMarts } from '../jobs/reports/build-marts.ts';
import { sourceTablesFromConfig } from '../jobs/reports/marts/source-tables.ts';
import { REPORTS, exportReport } from '../jobs/reports/report-catalog.ts';
import { eraseRequests } from '../jobs/privacy/erase-requests.ts';

/** Wall and process CPU seconds of `fn` (this process: DuckDB runs in it). */
async function measured<T>(fn: () => Promise<T>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return {
    value,
    wall_seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
  };
}

/**
 * Erasure on the demo company (`--customers`, default 2000, one night): one person, then ten in
 * one request file; and the floor every erasure pays whatever its size — the marts rebuilt and
 * the report files rewritten — measured in the same run on the same warehouse.
 *
 * `npm run bench -- erase --customers 2000`
 */
export async function run(opts: { customers?: number }): Promise<Record<string, unknown>[]> {
  const customers = Math.max(50, Math.round(opts.customers ?? 2000));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdw-bench-erase-'));
  try {
    const io = {
      out: process.stderr,
      err: process.stderr,
      env: process.env,
      exitCode: 0,
    } as Parameters<typeof main>[1];
    const code = await main(
      ['node', 'cdw', 'demo', '--dir', dir, '--customers', String(customers), '--nights', '1'],
      io,
    );
    if (code !== 0) throw new Error(`cdw demo failed (exit ${code})`);
    const config = loadConfig(path.join(dir, 'cdw.yaml'));
    const wh = await Warehouse.open(config.warehouse.path);
    try {
      const ids = (
        await wh.all<{ id: number }>(
          'SELECT customer_id AS id FROM core.dim_customer WHERE email IS NOT NULL ORDER BY customer_id LIMIT 11',
        )
      ).map((r) => String(r.id));
      const floor = await measured(async () => {
        const lastRun = await wh.one<{ run_id: string; as_of: Date }>(
          'SELECT run_id, as_of FROM marts.run_as_of ORDER BY computed_at DESC LIMIT 1',
        );
        await buildMarts(wh, {
          runId: lastRun!.run_id,
          asOf: new Date(lastRun!.as_of),
          complaintDays: config.reports.complaintDays,
          segments: config.reports.segments,
          sourceTables: sourceTablesFromConfig(config.sources),
        });
        for (const def of REPORTS)
          for (const f of config.reports.formats)
            await exportReport(wh, def, config.reports.dir, f);
      });
      const one = await measured(() =>
        eraseRequests(wh, config, ids.slice(0, 1), 'bench', 'bench', silentLogger),
      );
      const ten = await measured(() =>
        eraseRequests(wh, config, ids.slice(1, 11), 'bench', 'bench', silentLogger),
      );
      const size = await wh.one(
        `SELECT (SELECT count(*) FROM core.dim_customer) AS customers_rows,
                (SELECT count(*) FROM staging.party_records) AS party_records,
                (SELECT count(*) FROM core.fact_transactions) AS transactions`,
      );
      return [
        { case: 'floor: marts rebuilt + report files', ...strip(floor), ...size },
        { case: 'erase 1 customer', ...strip(one), ...size },
        { case: 'erase 10 customers (one request file)', ...strip(ten), ...size },
      ];
    } finally {
      wh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function strip<T extends { value: unknown }>(m: T): Omit<T, 'value'> {
  const { value: _value, ...rest } = m;
  return rest;
}
