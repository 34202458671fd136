import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStep } from '../../connectors/extract-step.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { generateDemo, type DemoResult } from '../../demo/generate-demo.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { standardisePhone } from '../../transforms/standardise/phones.ts';
import { transformStep } from '../../transforms/transform-step.ts';
import { tempDir } from '../helpers/warehouse.ts';

// The demo company, two nights, each night extracted and staged as the nightly job does.
let tmp: ReturnType<typeof tempDir>;
let demo: DemoResult;
let config: CdwConfig;
const runs: RunSummary[] = [];
let wh: Warehouse;

beforeAll(async () => {
  tmp = tempDir('cdw-transform-demo-');
  const dir = path.join(tmp.dir, 'demo');
  demo = await generateDemo({
    dir,
    customers: 250,
    nights: 2,
    seed: 11,
    logger: silentLogger,
    onNight: async () => {
      config = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
      runs.push(
        await runPipeline(config, {
          trigger: 'demo',
          logger: silentLogger,
          steps: [extractStep, transformStep],
        }),
      );
    },
  });
  // the same inputs staged again from raw: the units count every latest row
  runs.push(
    await runPipeline(config, {
      trigger: 'full-refresh',
      fullRefresh: true,
      logger: silentLogger,
      steps: [transformStep],
    }),
  );
  wh = await Warehouse.open(config.warehouse.path);
}, 300_000);

afterAll(() => {
  wh?.close();
  tmp?.cleanup();
});

describe('demo → extract → transform', () => {
  it('stages every night without failures', () => {
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const failed = runs.flatMap((r) => r.steps).filter((s) => s.status !== 'succeeded');
    expect(failed).toEqual([]);
  });

  it('restages on the second night exactly the live keys that received raw rows that night', async () => {
    const night2 = runs[1]!.runId;
    const units = await wh.all<{ source: string; rows_in: number }>(
      `SELECT source, rows_in FROM meta.run_steps WHERE run_id = $1 AND step = 'transform' AND source <> ''`,
      [night2],
    );
    let some = 0;
    for (const { s, t } of config.sources.flatMap((s) => s.tables.map((t) => ({ s, t })))) {
      const key = quoteIdent(t.mapping.record_key ?? t.primaryKey[0]!);
      const raw = qualified('raw', t.rawTable);
      const changedLive = Number(
        await wh.scalar(
          `SELECT count(*) FROM (SELECT ${key}, arg_max(_deleted, _loaded_at) AS d FROM ${raw}
           WHERE ${key} IN (SELECT ${key} FROM ${raw} WHERE starts_with(_load_id, $1)) GROUP BY 1) WHERE NOT d`,
          [`${night2}/`],
        ),
      );
      const u = units.find((x) => x.source === `${s.name}.${t.name}`)!;
      expect(u.rows_in, u.source).toBe(changedLive);
      some += changedLive;
    }
    expect(some).toBeGreaterThan(0);
  });

  it('accounts for every latest raw row of every table: staged or rejected', async () => {
    const last = runs[runs.length - 1]!.runId;
    const units = await wh.all<{
      source: string;
      rows_in: number;
      rows_out: number;
      rows_rejected: number;
    }>(
      `SELECT source, rows_in, rows_out, rows_rejected FROM meta.run_steps WHERE run_id = $1 AND step = 'transform' AND source <> ''`,
      [last],
    );
    const tables = config.sources.flatMap((s) => s.tables.map((t) => ({ s, t })));
    expect(units.length).toBe(tables.length);
    for (const { s, t } of tables) {
      const u = units.find((x) => x.source === `${s.name}.${t.name}`)!;
      expect(u.rows_in, u.source).toBe(u.rows_out + u.rows_rejected);
      // rows_in counted independently: distinct live keys in raw
      const key = t.mapping.record_key ?? t.primaryKey[0]!;
      const live = await wh.scalar(
        `SELECT count(*) FROM (SELECT ${quoteIdent(key)}, arg_max(_deleted, _loaded_at) AS d FROM ${qualified('raw', t.rawTable)} GROUP BY 1) WHERE NOT d`,
      );
      expect(u.rows_in, u.source).toBe(live);
    }
    const byEntity = await wh.all<{ t: string; n: number }>(
      `SELECT 'party' AS t, count(*) AS n FROM staging.party_records UNION ALL SELECT 'transaction', count(*) FROM staging.transactions
       UNION ALL SELECT 'interaction', count(*) FROM staging.interactions UNION ALL SELECT 'web_hit', count(*) FROM staging.web_hits`,
    );
    for (const e of byEntity) {
      const expected = tables
        .filter(({ t }) => t.entity === e.t)
        .reduce(
          (n, { s, t }) => n + units.find((u) => u.source === `${s.name}.${t.name}`)!.rows_out,
          0,
        );
      expect(e.n, e.t).toBe(expected);
      expect(e.n, e.t).toBeGreaterThan(0);
    }
  });

  it('stages exactly the party records of the ground truth, less the rows rejected', async () => {
    const truth = parse(readFileSync(demo.truthPath, 'utf8'), { columns: true }) as {
      source: string;
      source_table: string;
      record_key: string;
    }[];
    const truthUids = new Set(truth.map((r) => `${r.source}.${r.source_table}:${r.record_key}`));
    const staged = (
      await wh.all<{ party_uid: string }>(`SELECT party_uid FROM staging.party_records`)
    ).map((r) => r.party_uid);
    expect(staged.filter((u) => !truthUids.has(u))).toEqual([]);
    const missing = [...truthUids].filter((u) => !staged.includes(u));
    const rejectedParties = Number(
      await wh.scalar(`SELECT count(DISTINCT location) FROM meta.rejected_rows r WHERE stage IN ('extract', 'staging')
        AND source || '.' || source_table IN (SELECT source || '.' || source_table FROM staging.party_records)`),
    );
    expect(missing.length).toBeLessThanOrEqual(rejectedParties);
  });

  it('rejects or nulls each impossible date the demo put in, with a reason and never the value', async () => {
    const impossible = demo.nights
      .flatMap((n) => n.badRows)
      .filter((b) => b.reason.startsWith('impossible'));
    expect(impossible.length).toBeGreaterThan(0);
    // (web log lines that do not split are refused at staging too, for their own reason)
    const rows = await wh.all<{ reason: string; stage: string }>(
      `SELECT reason, stage FROM meta.rejected_rows WHERE stage IN ('staging', 'staging_value')
       AND reason NOT LIKE 'line does not match %'`,
    );
    // each night restages every current row, but a bad value is recorded once: by the first run that saw it
    expect(rows.length).toBe(impossible.length);
    expect(
      await wh.scalar(
        `SELECT count(*) FROM (SELECT load_id, location, reason FROM meta.rejected_rows WHERE stage IN ('staging', 'staging_value') GROUP BY ALL HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    for (const r of rows)
      expect(r.reason).toMatch(
        /^(birth_date|opened_at|occurred_at|created_at|updated_at|resolved_at): not a valid (date|timestamp)/,
      );
  });

  it('standardises sampled values as the standardisers do', async () => {
    const file = path.join(demo.dir, 'billing', `accounts_${demo.nights[0]!.date}.csv`);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    const sample = rows
      .filter((r) => r.email !== '' && r.phone !== '' && r.first_name !== '')
      .slice(0, 5);
    expect(sample.length).toBeGreaterThan(0);
    for (const r of sample) {
      const p = await wh.one(
        `SELECT first_name, last_name, email_norm, phone_e164, first_key, country_code FROM staging.party_records WHERE party_uid = $1`,
        [`billing.accounts:${r.account_id}`],
      );
      if (p === undefined) continue; // a later night may have changed or removed it
      expect(p.first_name).toBe(r.first_name!.trim());
      expect(p.first_key).toMatch(/^[a-z]+$/);
      expect(p.phone_e164).toBe(standardisePhone(r.phone, 'US').e164 ?? null);
      expect(p.country_code).toMatch(/^[A-Z]{2}$/);
    }
    // Cyrillic POS names (CP1251 file) come out transliterated
    const ru = await wh.all<{ first_key: string | null; last_key: string | null }>(
      `SELECT first_key, last_key FROM staging.party_records WHERE source = 'pos' AND regexp_matches(coalesce(last_name, full_name), '[А-Яа-я]')`,
    );
    expect(ru.length).toBeGreaterThan(0);
    for (const r of ru) expect(`${r.first_key ?? ''}${r.last_key ?? ''}`).toMatch(/^[a-z]+$/);
  });

  it('flags bot hits, builds sessions and links logged-in cookies', async () => {
    const totals = demo.totals;
    const bots = Number(await wh.scalar(`SELECT count(*) FROM staging.web_hits WHERE is_bot`));
    expect(bots).toBe(totals['web.bot_hits']);
    const sessions = Number(await wh.scalar(`SELECT count(*) FROM staging.web_sessions`));
    expect(sessions).toBeGreaterThan(0);
    expect(
      Number(await wh.scalar(`SELECT count(*) FROM staging.web_hits WHERE session_id IS NULL`)),
    ).toBe(0);
    if ((totals['web.logins'] ?? 0) > 0)
      expect(Number(await wh.scalar(`SELECT count(*) FROM staging.cookie_links`))).toBeGreaterThan(
        0,
      );
  });
});
