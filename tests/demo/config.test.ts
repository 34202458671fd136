import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../demo/generate-demo.ts';
import { demoConfigText } from '../../demo/config-yaml.ts';
import { parseConfigText } from '../../jobs/config/load.ts';
import { mappedColumns } from '../../jobs/config/semantics.ts';
import { silentLogger } from '../../foundation/logger.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { readCsv } from './read-demo.ts';

describe('demo generator: cdw.yaml', () => {
  const tmp = tempDir('cdw-demo-config-');
  beforeAll(async () => {
    await generateDemo({ dir: tmp.dir, customers: 120, nights: 1, seed: 3, logger: silentLogger });
  });
  afterAll(() => tmp.cleanup());

  it('validates as written, with every source and table the demo writes', () => {
    const file = path.join(tmp.dir, 'cdw.yaml');
    const cfg = parseConfigText(readFileSync(file, 'utf8'), file);
    expect(cfg.warehouse.path).toBe(path.join(tmp.dir, 'warehouse.duckdb'));
    expect(cfg.sources.map((s) => `${s.name}/${s.kind}/${s.timezone}/${s.defaultCountry}`)).toEqual(
      [
        'billing/csv/UTC/US',
        'erp/csv/America/New_York/US',
        'pos/csv/Europe/Moscow/RU',
        'web/weblog/UTC/US',
        'contact_center/csv/America/New_York/US',
        'helpdesk/jsonl/UTC/US',
        'marketing/csv/UTC/US',
      ],
    );
    expect(
      cfg.sources.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}:${t.entity}`)),
    ).toEqual([
      'billing.accounts:party',
      'billing.invoices:transaction',
      'billing.payments:transaction',
      'erp.customers:party',
      'erp.sales_orders:transaction',
      'pos.loyalty_cards:party',
      'pos.sales_ru:transaction',
      'pos.sales_us:transaction',
      'web.access:web_hit',
      'contact_center.calls:interaction',
      'helpdesk.tickets:interaction',
      'marketing.campaigns:campaign',
      'marketing.sends:campaign_contact',
      'marketing.orders:transaction',
    ]);
    const accounts = cfg.sources[0]!.tables[0]!;
    expect(accounts.primaryKey).toEqual(['account_id']);
    expect(accounts.cursor?.column).toBe('updated_at');
    expect(cfg.sources[2]!.tables.find((t) => t.name === 'sales_us')!.timezone).toBe(
      'America/New_York',
    );
  });

  it('maps only columns the generated CSV files have', () => {
    const cfg = parseConfigText(
      readFileSync(path.join(tmp.dir, 'cdw.yaml'), 'utf8'),
      path.join(tmp.dir, 'cdw.yaml'),
    );
    const files: Record<string, [string, { delimiter?: string; encoding?: 'utf8' | 'win1251' }]> = {
      'billing.accounts': ['billing/accounts_2026-11-01.csv', {}],
      'billing.invoices': ['billing/invoices_2026-11-01.csv', {}],
      'billing.payments': ['billing/payments_2026-11-01.csv', {}],
      'erp.customers': ['erp/customers_2026-11-01.csv', {}],
      'erp.sales_orders': ['erp/sales_orders_2026-11-01.csv', {}],
      'pos.loyalty_cards': ['pos/loyalty_cards.csv', { delimiter: ';', encoding: 'win1251' }],
      'pos.sales_ru': ['pos/sales_2026-11-01.csv', { delimiter: ';', encoding: 'win1251' }],
      'pos.sales_us': ['pos/us/sales_2026-11-01.csv', {}],
      'contact_center.calls': ['contact_center/calls_2026-11-01.csv', {}],
      'marketing.campaigns': ['marketing/campaigns_2026-11-01.csv', {}],
      'marketing.sends': ['marketing/sends_2026-11-01.csv', {}],
      'marketing.orders': ['marketing/orders_2026-11-01.csv', {}],
    };
    for (const s of cfg.sources) {
      for (const t of s.tables) {
        const f = files[`${s.name}.${t.name}`];
        if (f === undefined) continue;
        const first = readCsv(path.join(tmp.dir, f[0]), f[1])[0];
        // a file without data rows (a small company's orders) still has its header line
        const header =
          first === undefined
            ? readFileSync(path.join(tmp.dir, f[0]), 'utf8').split('\n')[0]!.split(',')
            : Object.keys(first);
        for (const col of mappedColumns(t.mapping))
          expect(header, `${s.name}.${t.name} → ${col}`).toContain(col);
        for (const col of t.primaryKey) expect(header).toContain(col);
      }
    }
  });

  it('validates with every table written out in full, and with databases in other schemas', () => {
    const full = parseConfigText(
      demoConfigText({ seed: 1, customers: 10, style: 'full' }),
      '/tmp/x/cdw.yaml',
    );
    const short = parseConfigText(demoConfigText({ seed: 1, customers: 10 }), '/tmp/x/cdw.yaml');
    const strip = (c: typeof full) => c.sources.map((s) => ({ ...s, preset: undefined }));
    expect(strip(full)).toEqual(strip(short));

    const db = parseConfigText(
      demoConfigText({
        seed: 1,
        customers: 10,
        pg: 'postgres://u@h/db',
        mysql: 'mysql://r@h/db',
        pgSchema: 'other',
        mysqlPrefix: 'x_',
      }),
      '/tmp/x/cdw.yaml',
    );
    expect(db.sources[0]!.kind).toBe('postgres');
    expect(db.sources[0]!.tables.map((t) => t.options.table)).toEqual([
      'other.accounts',
      'other.invoices',
      'other.payments',
    ]);
    expect(db.sources[1]!.tables.map((t) => t.options.table)).toEqual([
      'x_erp_customers',
      'x_erp_sales_orders',
    ]);
    expect(db.sources[0]!.tables[0]!.mapping.record_key).toBe('account_id');
  });

  it('never writes a database password into cdw.yaml: such a URL is read from the environment', () => {
    const text = demoConfigText({
      seed: 1,
      customers: 10,
      pg: 'postgres://u:s3cret@h/db',
      mysql: 'mysql://root@h/db',
    });
    expect(text).not.toContain('s3cret');
    expect(text).toContain('url: ${CDW_DEMO_PG_URL}');
    expect(text).toContain('url: mysql://root@h/db');
    const cfg = parseConfigText(text, '/tmp/x/cdw.yaml', {
      env: { CDW_DEMO_PG_URL: 'postgres://u:s3cret@h/db' },
    });
    expect(cfg.sources[0]!.connection.url).toBe('postgres://u:s3cret@h/db');
  });
});
