import { buildMarts } from '../jobs/reports/build-marts.ts';
import { Warehouse } from '../foundation/duckdb-client.ts';
import { migrate } from '../foundation/migrate.ts';
import { peakRssMb } from './measure.ts';

const AS_OF = new Date('2026-12-01T00:00:00Z');

/** Wall and process CPU seconds (DuckDB's threads included) of `fn`. */
async function measured(fn: () => Promise<unknown>): Promise<{ wall_s: number; cpu_s: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return {
    wall_s: Number(((performance.now() - t0) / 1000).toFixed(3)),
    cpu_s: Number(((c.user + c.system) / 1e6).toFixed(3)),
  };
}

/**
 * The campaign marts (campaign_results with campaign_contacts, campaign_service_load, and
 * service_daily with its campaign columns) over a
 * synthetic company built in SQL: `customers` people with 6 purchases, 2 web sessions and 1
 * contact each over 120 days, in households of two, and `campaigns` campaigns each sent to half
 * of them (a fifth held out, two variants, four regions). The floor, measured in the same run:
 * one grouped pass over the purchases and the sends (what any attribution must read).
 *
 * `npm run bench -- campaigns --customers 100000 --campaigns 10`
 */
export async function run(opts: {
  customers?: number;
  campaigns?: number;
}): Promise<Record<string, unknown>[]> {
  const customers = Math.max(100, Math.round(opts.customers ?? 100_000));
  const campaigns = Math.max(1, Math.round(opts.campaigns ?? 10));
  const wh = await Warehouse.open(':memory:');
  try {
    await migrate(wh);
    await wh.run(`CREATE TABLE staging.campaigns AS
      SELECT 'mkt.campaigns:K' || k AS campaign_uid, 'Campaign ' || k AS name, 'email' AS channel,
             CASE WHEN k % 2 = 0 THEN 'p' || (k % 10) END AS product, NULL::VARCHAR AS variants,
             1000.0 AS cost, 'USD' AS currency,
             TIMESTAMPTZ '2026-08-10 09:00:00+00' + to_days(CAST(k * 10 AS INTEGER)) AS started_at,
             NULL::TIMESTAMPTZ AS ended_at
      FROM range(${campaigns}) t(k)`);
    const day = (expr: string) =>
      `TIMESTAMPTZ '2026-08-03 00:00:00+00' + to_seconds(CAST(${expr} AS BIGINT))`;
    await wh.run(`INSERT INTO core.fact_transactions (txn_uid, customer_id, kind, amount, currency, product, occurred_at)
      SELECT 't' || c || '-' || i, c, 'order', 10 + (hash(c, i) % 90), 'USD', 'p' || (hash(i, c) % 10),
             ${day('hash(c, i, 1) % (120 * 86400)')}
      FROM range(${customers}) a(c), range(6) b(i)`);
    await wh.run(`INSERT INTO core.fact_web_sessions (session_id, customer_id, started_at, is_bot)
      SELECT 's' || c || '-' || i, c, ${day('hash(c, i, 2) % (120 * 86400)')}, false
      FROM range(${customers}) a(c), range(2) b(i)`);
    await wh.run(`INSERT INTO core.fact_interactions (interaction_uid, customer_id, channel, direction, is_complaint, is_abandoned, opened_at)
      SELECT 'i' || c, CASE WHEN c % 5 = 0 THEN NULL ELSE c END, 'phone', 'inbound', c % 17 = 0, c % 11 = 0,
             ${day('hash(c, 3) % (120 * 86400)')}
      FROM range(${customers}) a(c)`);
    await wh.run(
      `INSERT INTO core.dim_household SELECT c // 2, c, NULL, 'member', 'bench' FROM range(${customers}) a(c)`,
    );
    await wh.run(`INSERT INTO core.fact_campaign_contacts (contact_uid, customer_id, campaign_uid, variant, region, is_control, sent_at, delivered_at)
      SELECT 'k' || k || '-' || c, CASE WHEN c % 50 = 0 THEN NULL ELSE c END, 'mkt.campaigns:K' || k,
             CASE WHEN hash(k, c) % 5 = 0 THEN NULL WHEN hash(k, c) % 2 = 0 THEN 'A' ELSE 'B' END,
             'R' || (c % 4), hash(k, c) % 5 = 0,
             TIMESTAMPTZ '2026-08-10 09:00:00+00' + to_days(CAST(k * 10 AS INTEGER)),
             TIMESTAMPTZ '2026-08-10 09:01:00+00' + to_days(CAST(k * 10 AS INTEGER))
      FROM range(${campaigns}) t(k), range(${customers}) a(c) WHERE hash(c, k, 7) % 2 = 0`);
    const sends = Number(await wh.scalar('SELECT count(*) FROM core.fact_campaign_contacts'));
    const floor = await measured(() =>
      wh.run(`CREATE OR REPLACE TEMP TABLE bench_floor AS
        SELECT f.campaign_uid, count(*) AS n, sum(t.amount) AS amount
        FROM core.fact_campaign_contacts f
        LEFT JOIN (SELECT customer_id, sum(amount) AS amount FROM core.fact_transactions GROUP BY 1) t USING (customer_id)
        GROUP BY 1`),
    );
    const units: Record<string, { wall_s: number; cpu_s: number }> = {};
    await buildMarts(
      wh,
      {
        runId: 'bench',
        asOf: AS_OF,
        complaintDays: 30,
        segments: [],
        sourceTables: [],
        only: ['campaign_results', 'campaign_service_load', 'service_daily'],
      },
      async (name, fn) => {
        units[name] = await measured(fn);
        return { status: 'succeeded', error: null };
      },
    );
    const rows = await wh.one(
      'SELECT (SELECT count(*) FROM marts.campaign_contacts) AS recipient_rows, (SELECT count(*) FROM marts.campaign_results) AS result_rows, (SELECT count(*) FROM marts.campaign_service_load) AS load_rows',
    );
    return [
      {
        customers,
        campaigns,
        sends,
        transactions: customers * 6,
        floor_wall_s: floor.wall_s,
        floor_cpu_s: floor.cpu_s,
        campaign_results_wall_s: units.campaign_results?.wall_s,
        campaign_results_cpu_s: units.campaign_results?.cpu_s,
        campaign_service_load_wall_s: units.campaign_service_load?.wall_s,
        campaign_service_load_cpu_s: units.campaign_service_load?.cpu_s,
        service_daily_wall_s: units.service_daily?.wall_s,
        service_daily_cpu_s: units.service_daily?.cpu_s,
        ...rows,
        peak_rss_mb: peakRssMb(),
      },
    ];
  } finally {
    wh.close();
  }
}
