import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStep } from '../../connectors/extract-step.ts';
import { identityStep } from '../../identity/identity-step.ts';
import { loadConfig } from '../../jobs/config/load.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { transformStep } from '../../transforms/transform-step.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { tempDir } from '../helpers/warehouse.ts';
import type * as GeneratorModuleNs from '../../demo/generate-demo.ts';

type GeneratorModule = typeof GeneratorModuleNs;

const GENERATOR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../demo/generate-demo.ts',
);
const available = existsSync(GENERATOR);
const title = available
  ? 'customer ids over three demo nights'
  : 'customer ids over three demo nights — SKIPPED: demo/generate-demo.ts is absent';

describe.skipIf(!available)(title, () => {
  const tmp = tempDir('cdw-identity-nights-');
  let config: CdwConfig;
  const nights: Map<string, number>[] = [];
  const statuses: string[] = [];
  let wh: Warehouse;

  beforeAll(async () => {
    const { generateDemo } = (await import(GENERATOR)) as GeneratorModule;
    const dir = path.join(tmp.dir, 'demo');
    await generateDemo({
      dir,
      customers: 1500,
      nights: 3,
      seed: 21,
      logger: silentLogger,
      onNight: async () => {
        config = loadConfig(path.join(dir, 'cdw.yaml'), { env: {} });
        const r = await runPipeline(config, {
          trigger: 'demo',
          logger: silentLogger,
          steps: [extractStep, transformStep, identityStep],
        });
        statuses.push(r.status);
        const w = await Warehouse.open(config.warehouse.path, { readOnly: true });
        try {
          const rows = await w.all<{ party_uid: string; customer_id: number }>(
            'SELECT party_uid, customer_id FROM core.customer_xref',
          );
          nights.push(new Map(rows.map((x) => [x.party_uid, x.customer_id])));
        } finally {
          w.close();
        }
      },
    });
    wh = await Warehouse.open(config.warehouse.path);
  }, 600_000);
  afterAll(() => {
    wh?.close();
    tmp.cleanup();
  });

  it('runs three nights, each with more records', () => {
    expect(statuses).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(nights[1]!.size).toBeGreaterThan(nights[0]!.size);
    expect(nights[2]!.size).toBeGreaterThan(nights[1]!.size);
  });

  it('an id seen on night 1 still means its records on night 3, unless the history says they moved', async () => {
    const moved = new Set(
      (
        await wh.all<{ old_id: number; new_id: number }>(
          "SELECT old_id, new_id FROM identity.id_history WHERE event = 'split'",
        )
      ).map((h) => `${h.old_id}>${h.new_id}`),
    );
    const resolve = new Map(
      (
        await wh.all<{ issued_id: number; current_id: number }>(
          'SELECT issued_id, current_id FROM identity.id_map',
        )
      ).map((m) => [m.issued_id, m.current_id]),
    );
    let same = 0;
    const unexplained: string[] = [];
    for (const [uid, id1] of nights[0]!) {
      const id3 = nights[2]!.get(uid);
      if (id3 === undefined) continue;
      const now = resolve.get(id1);
      if (now === id3) same++;
      else if (!moved.has(`${id1}>${id3}`) && !moved.has(`${now}>${id3}`)) unexplained.push(uid);
    }
    expect(unexplained).toEqual([]);
    expect(same / nights[0]!.size).toBeGreaterThan(0.99);
  });

  it('every merge kept the older id, retired the younger, and the retired id resolves to a live customer', async () => {
    const merges = await wh.all<{
      old_id: number;
      new_id: number;
      current: number | null;
      live: boolean;
    }>(
      `SELECT h.old_id, h.new_id, identity.resolve_id(h.old_id) AS current,
              identity.resolve_id(h.old_id) IN (SELECT customer_id FROM core.customer_xref) AS live
       FROM identity.id_history h WHERE h.event = 'merge'`,
    );
    for (const m of merges) {
      expect(m.new_id).toBeLessThan(m.old_id);
      expect(m.live).toBe(true);
      expect(nights[2]!.size === 0 || ![...nights[2]!.values()].includes(m.old_id)).toBe(true);
    }
    const issued = Number(await wh.scalar('SELECT count(*) FROM identity.customer_ids'));
    const current = Number(
      await wh.scalar('SELECT count(DISTINCT customer_id) FROM core.customer_xref'),
    );
    const retired = Number(
      await wh.scalar('SELECT count(*) FROM identity.customer_ids WHERE retired_run IS NOT NULL'),
    );
    expect(current).toBeLessThanOrEqual(issued - retired);
  });
});
