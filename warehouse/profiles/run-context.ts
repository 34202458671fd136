import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { RunStep } from './build-golden.ts';
import { profilesSql } from './sql-file.ts';
import type { GroupRule } from './survivorship.ts';

/**
 * Temp tables every statement of the customers unit reads instead of parameters:
 * `profiles_ctx(run_id, now, rules_key)`, `profiles_rules(grp, label)`,
 * `profiles_priority(name, pos)`, `profiles_reclustered(customer_id)` (ids identity merged or
 * split in this run), and `core.customer_id_map` refreshed from `identity.id_history`.
 */
export async function createRunContext(
  wh: Warehouse,
  opts: {
    readonly runId: string;
    readonly now: Date;
    readonly rules: readonly GroupRule[];
    readonly sourcePriority: readonly string[];
  },
  hasIdHistory: boolean,
  step: RunStep,
): Promise<void> {
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE profiles_ctx AS SELECT CAST($1 AS VARCHAR) AS run_id, CAST($2 AS TIMESTAMPTZ) AS now, CAST($3 AS VARCHAR) AS rules_key',
    [
      opts.runId,
      opts.now.toISOString(),
      opts.rules.map((r) => `${r.group.name}=${r.label}`).join(';'),
    ],
  );
  await wh.run('CREATE OR REPLACE TEMP TABLE profiles_rules (grp VARCHAR, label VARCHAR)');
  for (const r of opts.rules)
    await wh.run('INSERT INTO profiles_rules VALUES ($1, $2)', [r.group.name, r.label]);
  await wh.run('CREATE OR REPLACE TEMP TABLE profiles_priority (name VARCHAR, pos INTEGER)');
  for (const [i, name] of opts.sourcePriority.entries())
    await wh.run('INSERT INTO profiles_priority VALUES ($1, $2)', [name, i + 1]);
  if (hasIdHistory) {
    await step('id map', profilesSql('customer-id-map'));
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE profiles_reclustered AS SELECT old_id AS customer_id FROM identity.id_history WHERE run_id = $1 UNION SELECT new_id FROM identity.id_history WHERE run_id = $1',
      [opts.runId],
    );
  } else {
    await wh.run('CREATE OR REPLACE TEMP TABLE profiles_reclustered (customer_id BIGINT)');
  }
}

/**
 * `profiles_customer_sources` (tonight's records per customer, source and table) and
 * `profiles_held`: customers that show fewer records of a held source — or of a held table —
 * than last accepted keep their profile.
 */
export async function holdCustomers(
  wh: Warehouse,
  held: readonly { readonly source: string; readonly table: string | null }[],
  step: RunStep,
): Promise<void> {
  await step(
    'records per source',
    `CREATE OR REPLACE TEMP TABLE profiles_customer_sources AS
    SELECT x.customer_id, p.source, p.source_table, CAST(count(*) AS INTEGER) AS records
    FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
    GROUP BY ALL`,
  );
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE profiles_held_sources (source VARCHAR, source_table VARCHAR)',
  );
  for (const h of held)
    await wh.run('INSERT INTO profiles_held_sources VALUES ($1, $2)', [h.source, h.table]);
  // Counts accepted before tables were counted apart (source_table NULL) still hold per source.
  await step(
    'held customers',
    `CREATE OR REPLACE TEMP TABLE profiles_held_by AS
    WITH was AS (SELECT customer_id, source, sum(records) AS records FROM core.customer_sources GROUP BY ALL),
    now AS (SELECT customer_id, source, sum(records) AS records FROM profiles_customer_sources GROUP BY ALL)
    SELECT w.customer_id, w.source, NULL::VARCHAR AS source_table
    FROM was w
    JOIN profiles_held_sources hs ON hs.source = w.source AND hs.source_table IS NULL
    LEFT JOIN now n ON n.customer_id = w.customer_id AND n.source = w.source
    WHERE coalesce(n.records, 0) < w.records
    UNION ALL
    SELECT cs.customer_id, cs.source, cs.source_table
    FROM core.customer_sources cs
    JOIN profiles_held_sources hs ON hs.source = cs.source AND hs.source_table = cs.source_table
    LEFT JOIN profiles_customer_sources n
      ON n.customer_id = cs.customer_id AND n.source = cs.source AND n.source_table = cs.source_table
    WHERE coalesce(n.records, 0) < cs.records`,
  );
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE profiles_held AS SELECT DISTINCT customer_id FROM profiles_held_by',
  );
}
