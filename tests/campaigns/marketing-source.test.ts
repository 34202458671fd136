import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

const PEOPLE = [
  'id,first,last,email,phone,card',
  'c1,Anna,Abbot,anna@example.com,+441130000001,',
  'c2,Boris,Bauer,boris@example.com,+441130000002,',
  'c3,Clara,Cohen,,+441130000003,',
  'c4,Dmitri,Dorn,,,CARD-0004',
  'c5,Elena,Eliot,elena@example.com,,',
  'c6,Fyodor,Faulk,fyodor@example.com,+441130000006,',
];

const CAMPAIGNS = [
  'campaign_id,name,channel,product,variants,budget,currency,starts_at,ends_at,updated_at',
  'K1,Winter mail,EMAIL,broadband,A|B,300,gbp,2026-11-02 09:00,2026-11-20 18:00,2026-11-01 10:00',
  'K2,No budget,sms,,,,,2026-11-03 09:00,,2026-11-01 10:00',
  ',Keyless,sms,,,,,,,2026-11-01 10:00',
];

const SENDS = [
  'send_id,campaign_id,customer_no,variant,region,segment,holdout,email,phone,card_no,cost,sent_at,delivered_at,opened_at,clicked_at,bounced_at,unsubscribed_at,complained_at,updated_at',
  // by the customer number (party key)
  'S1,K1,c1,A,North,high_value,N,,,,0.5,2026-11-02 09:00,2026-11-02 09:01,2026-11-02 12:00,,,,,2026-11-02 10:00',
  // by e-mail (written differently from the party record)
  'S2,K1,,B,North,high_value,N,Boris@Example.COM,,,0.5,2026-11-02 09:00,,,,,2026-11-03 08:00,,2026-11-02 10:00',
  // by phone, in a national form
  'S3,K1,,A,South,high_value,Y,,01130000003,,,2026-11-02 09:00,,,,,,,2026-11-02 10:00',
  // by loyalty card
  'S4,K2,,,,,,,,card 0004,,2026-11-03 09:00,,,,,,,2026-11-02 10:00',
  // nobody we know: kept and counted, not dropped
  'S5,K2,,,,,,stranger@example.org,,,,2026-11-03 09:00,,,,2026-11-03 09:05,,,2026-11-02 10:00',
  // no campaign, no send time: rejected with the reason
  'S6,,,,,,,,,,,2026-11-03 09:00,,,,,,,2026-11-02 10:00',
  'S7,K2,,,,,,elena@example.com,,,,not a date,,,,,,,2026-11-02 10:00',
];

describe('the marketing database as a source (preset marketing, csv)', () => {
  const t = tempDir('cdw-marketing-');
  const cfg = path.join(t.dir, 'cdw.yaml');
  beforeAll(() => {
    writeFileSync(path.join(t.dir, 'people.csv'), `${PEOPLE.join('\n')}\n`);
    writeFileSync(path.join(t.dir, 'campaigns_20261101.csv'), `${CAMPAIGNS.join('\n')}\n`);
    writeFileSync(path.join(t.dir, 'sends_20261103.csv'), `${SENDS.join('\n')}\n`);
    writeFileSync(
      cfg,
      [
        'warehouse:',
        '  path: w.duckdb',
        'sources:',
        '  - name: crm',
        '    kind: csv',
        '    default_country: GB',
        '    connection: { dir: . }',
        '    tables:',
        '      - name: people',
        '        entity: party',
        '        path: people.csv',
        '        primary_key: id',
        '        mapping: { record_key: id, first_name: first, last_name: last, email: email, phone: phone, loyalty_card: card }',
        '  - name: mkt',
        '    kind: csv',
        '    preset: marketing',
        '    default_country: GB',
        '    connection: { dir: . }',
        '    tables:',
        '      - name: sends',
        '        mapping: { party_key: customer_no, party_table: "\'crm.people\'" }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => t.cleanup());

  it('stages campaigns and sends, resolves recipients by party key, e-mail, phone or card, and counts the unresolved', async () => {
    const io = captureIO();
    const code = await main(['node', 'cdw', '-c', cfg, 'run'], io);
    expect([0, 2], io.errText()).toContain(code);
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'), { readOnly: true });
    try {
      expect(
        await wh.all(
          'SELECT campaign_uid, name, channel, product, cost, currency FROM staging.campaigns ORDER BY 1',
        ),
      ).toEqual([
        {
          campaign_uid: 'mkt.campaigns:K1',
          name: 'Winter mail',
          channel: 'email',
          product: 'broadband',
          cost: 300,
          currency: 'GBP',
        },
        {
          campaign_uid: 'mkt.campaigns:K2',
          name: 'No budget',
          channel: 'sms',
          product: null,
          cost: null,
          currency: null,
        },
      ]);
      const facts = await wh.all<{
        record_key: string;
        campaign_uid: string;
        is_control: boolean;
        resolved_by: string | null;
        party_key: string | null;
      }>(
        `SELECT f.record_key, f.campaign_uid, f.is_control, f.resolved_by, x.record_key AS party_key
         FROM core.fact_campaign_contacts f LEFT JOIN core.customer_xref x
           ON x.customer_id = f.customer_id AND x.source = 'crm'
         ORDER BY 1`,
      );
      expect(facts).toEqual([
        {
          record_key: 'S1',
          campaign_uid: 'mkt.campaigns:K1',
          is_control: false,
          resolved_by: 'party_key',
          party_key: 'c1',
        },
        {
          record_key: 'S2',
          campaign_uid: 'mkt.campaigns:K1',
          is_control: false,
          resolved_by: 'email',
          party_key: 'c2',
        },
        {
          record_key: 'S3',
          campaign_uid: 'mkt.campaigns:K1',
          is_control: true,
          resolved_by: 'phone',
          party_key: 'c3',
        },
        {
          record_key: 'S4',
          campaign_uid: 'mkt.campaigns:K2',
          is_control: false,
          resolved_by: 'card',
          party_key: 'c4',
        },
        {
          record_key: 'S5',
          campaign_uid: 'mkt.campaigns:K2',
          is_control: false,
          resolved_by: null,
          party_key: null,
        },
      ]);
      expect(
        await wh.one(
          "SELECT rows_in, rows_out, resolved, unresolved FROM core.fact_resolution WHERE fact_table = 'fact_campaign_contacts'",
        ),
      ).toEqual({ rows_in: 5, rows_out: 5, resolved: 4, unresolved: 1 });
      const rejected = await wh.all<{ source_table: string; reason: string }>(
        "SELECT source_table, reason FROM meta.rejected_rows WHERE source = 'mkt' AND stage = 'staging' ORDER BY 1, 2",
      );
      expect(rejected.map((r) => r.source_table)).toEqual(['campaigns', 'sends', 'sends']);
      expect(rejected.map((r) => r.reason).join(' ')).toMatch(/campaign_key/);
      expect(rejected.map((r) => r.reason).join(' ')).toMatch(/sent_at/);
    } finally {
      wh.close();
    }
  });

  it('cdw customer show lists the campaigns a customer got and what they did', async () => {
    const wh = await Warehouse.open(path.join(t.dir, 'w.duckdb'), { readOnly: true });
    const id = await wh
      .scalar("SELECT customer_id FROM core.customer_xref WHERE party_uid = 'crm.people:c2'")
      .finally(() => wh.close());
    const io = captureIO();
    expect(await main(['node', 'cdw', '-c', cfg, 'customer', 'show', String(id)], io)).toBe(0);
    const out = io.outText();
    expect(out).toContain('campaigns (1)');
    const line = out.split('\n').find((l) => l.includes('Winter mail'))!;
    expect(line).toMatch(/email\s+B\s+North\s+no\s+no\s+2026-11-03/);
    const json = captureIO();
    expect(
      await main(['node', 'cdw', '-c', cfg, 'customer', 'show', String(id), '--json'], json),
    ).toBe(0);
    const view = JSON.parse(json.outText()) as { campaigns: { campaign_uid: string }[] };
    expect(view.campaigns.map((c) => c.campaign_uid)).toEqual(['mkt.campaigns:K1']);
  });
});
