import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { SEGMENTS } from '../reports/fixture/built.ts';
import { RUN_ID, SOURCE_TABLES, seedWorld } from '../reports/fixture/world.ts';
import { ANALYST, run, startServed, type Served } from './server-fixture.ts';

let s: Served;
beforeAll(async () => {
  s = await startServed({
    seed: async (wh) => {
      await seedWorld(wh, new Date());
      await buildMarts(wh, {
        runId: RUN_ID,
        complaintDays: 30,
        segments: SEGMENTS,
        sourceTables: SOURCE_TABLES,
      });
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('marts through JDBC metadata against cdw serve', () => {
  it('every mart table and column has REMARKS, and nested values arrive as readable JSON', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'cdw-jdbc-marts-'));
    let stdout: string;
    try {
      await run(
        'javac',
        ['-d', out, path.join(import.meta.dirname, 'fixtures', 'MartsProbe.java')],
        {
          timeout: 60_000,
        },
      );
      ({ stdout } = await run(
        'java',
        [
          '-cp',
          `${out}:/usr/share/java/postgresql.jar`,
          'MartsProbe',
          `jdbc:postgresql://127.0.0.1:${s.port}/cdw`,
          ANALYST.user,
          ANALYST.password,
          'marts',
        ],
        { timeout: 60_000 },
      ));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const tables = lines.filter((l) => l[0] === 'table');
    const columns = lines.filter((l) => l[0] === 'column');
    expect(tables.map((t) => t[1])).toContain('customer_360');
    expect(columns.length).toBeGreaterThan(200);
    expect(tables.filter((t) => !t[2] || t[2] === 'null').map((t) => t[1])).toEqual([]);
    expect(columns.filter((c) => !c[4] || c[4] === 'null').map((c) => `${c[1]}.${c[2]}`)).toEqual(
      [],
    );
    expect(tables.find((t) => t[1] === 'customer_360')?.[2]).toMatch(/One row per customer/);
    const systems = lines.find((l) => l[0] === 'systems')?.[1] ?? '';
    expect(JSON.parse(systems)).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: 'billing' })]),
    );
  });
});
