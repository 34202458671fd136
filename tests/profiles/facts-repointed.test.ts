import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { runPipeline } from '../../jobs/pipeline.ts';
import { runProfiles } from '../../warehouse/profiles/profiles-step.ts';
import { memoryWarehouse } from '../helpers/warehouse.ts';
import { createUpstreamTables, partyUid, setParties, type Party } from './upstream-fixture.ts';
import { profilesConfig } from './night.ts';

const ann: Party = {
  customer: 1,
  source: 'billing',
  key: 'b1',
  first_name: 'Ann',
  last_name: 'One',
  email: 'ann@example.com',
};
const bob: Party = {
  customer: 2,
  source: 'billing',
  key: 'b2',
  first_name: 'Bob',
  last_name: 'Two',
  email: 'bob@example.com',
};

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
  await createUpstreamTables(wh);
});
afterEach(() => wh.close());

async function night(now: string, fullRefresh = false) {
  const logger = memoryLogger();
  const s = await runPipeline(profilesConfig(), {
    trigger: 'test',
    logger,
    warehouse: wh,
    fullRefresh,
    steps: [
      {
        name: 'profiles',
        description: 'profiles at a fixed time',
        run: (ctx) => runProfiles(ctx, { now: new Date(now) }),
      },
    ],
  });
  expect(s.steps.filter((x) => x.status === 'failed').map((x) => x.error)).toEqual([]);
  return s;
}

const FACTS = 'SELECT txn_uid, customer_id, resolved_by FROM core.fact_transactions ORDER BY 1';
const CALLS =
  'SELECT interaction_uid, customer_id, resolved_by FROM core.fact_interactions ORDER BY 1';
const SENDS =
  'SELECT contact_uid, customer_id, resolved_by FROM core.fact_campaign_contacts ORDER BY 1';

/** staging.campaign_contacts as the transform creates it, with two sends: to Bob's record and to his e-mail. */
async function stageSends(): Promise<void> {
  await wh.run(
    sqlFromFile(
      new URL('../../transforms/models/models.ts', import.meta.url).href,
      'campaign-contacts.sql',
      { ident: { table: ['staging', 'campaign_contacts'] } },
    ),
  );
  await wh.run(`INSERT INTO staging.campaign_contacts (contact_uid, source, source_table, record_key, campaign_uid, is_control, party_uid, email_key, sent_at) VALUES
    ('mkt.sends:1', 'mkt', 'sends', '1', 'mkt.campaigns:c1', false, '${partyUid(bob)}', NULL, '2024-01-05'),
    ('mkt.sends:2', 'mkt', 'sends', '2', 'mkt.campaigns:c1', false, NULL, 'bob@example.com', '2024-01-05')`);
}

describe('facts built from what changed', () => {
  it('are re-pointed when identity merges customers, though no staging row changed', async () => {
    await setParties(wh, [ann, bob]);
    await wh.run(`INSERT INTO staging.transactions (txn_uid, source, source_table, record_key, party_uid, email_key, amount, occurred_at) VALUES
      ('billing.invoices:1', 'billing', 'invoices', '1', '${partyUid(ann)}', NULL, 10, '2024-01-01'),
      ('billing.invoices:2', 'billing', 'invoices', '2', '${partyUid(bob)}', NULL, 20, '2024-01-02'),
      ('web.orders:1', 'web', 'orders', '1', NULL, 'bob@example.com', 7, '2024-01-03')`);
    await wh.run(`INSERT INTO staging.interactions (interaction_uid, source, source_table, record_key, party_uid, email_key, channel) VALUES
      ('cc.tickets:1', 'cc', 'tickets', '1', NULL, 'bob@example.com', 'email')`);
    await stageSends();
    await night('2024-03-01T02:00:00Z');
    expect(await wh.all(FACTS)).toEqual([
      { txn_uid: 'billing.invoices:1', customer_id: 1, resolved_by: 'party_key' },
      { txn_uid: 'billing.invoices:2', customer_id: 2, resolved_by: 'party_key' },
      { txn_uid: 'web.orders:1', customer_id: 2, resolved_by: 'email' },
    ]);

    // Bob is found to be Ann: his record now belongs to customer 1
    await setParties(wh, [ann, { ...bob, customer: 1 }]);
    const s = await night('2024-03-02T02:00:00Z');
    expect(s.steps.find((x) => x.source === 'fact_transactions')?.error).toBe(
      'incremental: 2 rows rebuilt',
    );
    expect(s.steps.find((x) => x.source === 'fact_campaign_contacts')?.error).toBe(
      'incremental: 2 rows rebuilt',
    );
    const incremental = {
      facts: await wh.all(FACTS),
      calls: await wh.all(CALLS),
      sends: await wh.all(SENDS),
    };
    expect(incremental.facts).toEqual([
      { txn_uid: 'billing.invoices:1', customer_id: 1, resolved_by: 'party_key' },
      { txn_uid: 'billing.invoices:2', customer_id: 1, resolved_by: 'party_key' },
      { txn_uid: 'web.orders:1', customer_id: 1, resolved_by: 'email' },
    ]);
    expect(incremental.calls).toEqual([
      { interaction_uid: 'cc.tickets:1', customer_id: 1, resolved_by: 'email' },
    ]);
    expect(incremental.sends).toEqual([
      { contact_uid: 'mkt.sends:1', customer_id: 1, resolved_by: 'party_key' },
      { contact_uid: 'mkt.sends:2', customer_id: 1, resolved_by: 'email' },
    ]);
    // the same as a full refresh
    await night('2024-03-02T02:00:00Z', true);
    expect({
      facts: await wh.all(FACTS),
      calls: await wh.all(CALLS),
      sends: await wh.all(SENDS),
    }).toEqual(incremental);
  });
});
