import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOverview } from '../../jobs/reports/html/write-overview.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';

describe('the HTML overview', () => {
  it('lists the source schema changes of the last 30 days, with what each did to the load', async () => {
    const wh = await memoryWarehouse();
    const tmp = tempDir('cdw-overview-schema-');
    try {
      await wh.run(
        `INSERT INTO meta.schema_changes (run_id, load_id, source, source_table, column_name, change, old_type, new_type, mapped, read_by, action, location)
         VALUES ('r1', 'r1/billing.customers', 'billing', 'customers', 'email', 'removed', 'text', NULL, true, 'mapping.email', 'failed', NULL),
                ('r1', 'r1/billing.customers', 'billing', 'customers', 'e_mail', 'added', NULL, 'text', false, NULL, 'recorded', NULL)`,
      );
      const file = path.join(tmp.dir, 'overview.html');
      await writeOverview(wh, file);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('Source schema changes, last 30 days');
      expect(html).toMatch(
        /<td>billing\.customers<\/td><td>email<\/td><td>removed<\/td><td>mapping\.email<\/td><td class="bad">load stopped<\/td>/,
      );
      expect(html).toMatch(/<td>e_mail<\/td><td>added<\/td><td><\/td><td class="">recorded<\/td>/);
    } finally {
      wh.close();
      tmp.cleanup();
    }
  });
});
