import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../jobs/cli/main.ts';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { captureIO } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('cdw run --full-refresh', () => {
  const tmp = tempDir('cdw-full-refresh-');
  afterAll(() => tmp.cleanup());

  it('restages every record from raw, where a plain run restages only what changed', async () => {
    writeFileSync(
      path.join(tmp.dir, 'customers.csv'),
      'id,name,email\n1,Ann Lee,ann@example.com\n2,Bob Roy,bob@example.com\n',
    );
    const cfg = path.join(tmp.dir, 'cdw.yaml');
    writeFileSync(
      cfg,
      `warehouse: { path: wh.duckdb }
sources:
  - name: shop
    kind: csv
    tables:
      - { name: customers, path: customers.csv, entity: party, primary_key: id, mapping: { record_key: id, full_name: name, email: email } }
`,
    );
    const notes: string[] = [];
    const touched: string[] = [];
    const summaries: string[] = [];
    for (const args of [[], [], ['--full-refresh']]) {
      const io = captureIO();
      const code = await main(['node', 'cdw', 'run', '--config', cfg, ...args], io);
      expect(code, io.errText() + io.outText()).toBe(0);
      summaries.push(io.outText());
      const wh = await Warehouse.open(path.join(tmp.dir, 'wh.duckdb'), { readOnly: true });
      try {
        notes.push(
          String(
            await wh.scalar(
              `SELECT rows_in || ' ' || split_part(error, ':', 1) FROM meta.run_steps
               WHERE step = 'transform' AND source = 'shop.customers' ORDER BY started_at DESC LIMIT 1`,
            ),
          ),
        );
        touched.push(
          String(
            await wh.scalar(
              `SELECT touched || ' ' || touched_what FROM meta.run_steps
               WHERE step = 'transform' AND source = '' ORDER BY started_at DESC LIMIT 1`,
            ),
          ),
        );
      } finally {
        wh.close();
      }
    }
    expect(notes).toEqual(['2 restaged whole', '0 incremental', '2 restaged whole']);
    // the run summary and the ledger say how much each night recomputed
    expect(touched).toEqual(['2 records', '0 records', '2 records']);
    expect(summaries[1]).toMatch(/touched/);
    expect(summaries[1]).toMatch(/shop\.customers\s+succeeded\s+0\s+0\s+0\s+0 records/);
    const status = captureIO();
    expect(await main(['node', 'cdw', 'status', '--config', cfg], status)).toBe(0);
    expect(status.outText()).toMatch(/shop\.customers\s+succeeded\s+\d+\s+\d+\s+0\s+2 records/);
  });
});
