import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { readCsv } from '../demo/read-demo.ts';

describe('cdw demo: the marketing system sends to the lists cdw produced', () => {
  const tmp = tempDir('cdw-demo-lists-');
  afterAll(() => tmp.cleanup());

  it('campaign 2 (night 3) goes to the e-mail list cdw wrote after night 2, holdout included', async () => {
    const dir = path.join(tmp.dir, 'demo');
    const io = captureIO();
    const code = await main(
      ['node', 'cdw', 'demo', '--dir', dir, '--customers', '150', '--nights', '3', '--seed', '5'],
      io,
    );
    expect(code, io.errText()).toBe(0);
    const list = path.join(dir, 'marketing/lists/list_2026-11-02.csv');
    expect(existsSync(list)).toBe(true);
    const emails = new Set(readCsv(list).map((r) => String(r.email).toLowerCase()));
    expect(emails.size).toBeGreaterThan(0);
    const sends = readCsv(path.join(dir, 'marketing/sends_2026-11-03.csv'));
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((s) => s.campaign_id === 'C002')).toBe(true);
    expect(sends.filter((s) => !emails.has(String(s.email).toLowerCase()))).toEqual([]);
    // everyone on the list whose own address it is (a golden address with a typo reaches nobody)
    expect(sends.length).toBeLessThanOrEqual(emails.size);
    expect(sends.length).toBeGreaterThan(emails.size / 2);
    const night3 = JSON.parse(readFileSync(path.join(dir, 'nights/night-003.json'), 'utf8')) as {
      counts: Record<string, number>;
    };
    expect(night3.counts['marketing.sent_to_cdw_list']).toBe(1);
    // C002 names no product: the visits and calls it brought are responses
    const wh = await Warehouse.open(path.join(dir, 'warehouse.duckdb'), { readOnly: true });
    try {
      const kinds = await wh.all<{ response_kind: string }>(
        `SELECT DISTINCT response_kind FROM marts.campaign_contacts
         WHERE campaign_uid = 'marketing.campaigns:C002' AND responded AND NOT is_control`,
      );
      expect(kinds.map((k) => k.response_kind)).toEqual(
        expect.arrayContaining(['visit', 'contact']),
      );
    } finally {
      wh.close();
    }
  }, 600_000);
});
