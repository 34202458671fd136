import type { Warehouse } from '../../foundation/duckdb-client.ts';

/**
 * Everything of one person, as temp tables of the main connection (read by the erasure):
 * - `erase_ids(customer_id)`: every customer id ever issued to the person;
 * - `erase_parties(party_uid)`: their party records;
 * - `erase_contacts(contact_uid)`: campaign sends to them;
 * - `erase_txn(txn_uid)`, `erase_int(interaction_uid)`, `erase_sessions(session_id)`,
 *   `erase_hits(hit_uid)`, `erase_cookies(cookie_id)`: their events;
 * - `erase_records(source, source_table, record_key, entity)`: the source records of all those;
 * - `erase_values(kind, value)`: their identifiers and names as written (for the sweep of
 *   free text and for the hashes that keep them erased).
 * A table a warehouse does not have yet (no web source) contributes nothing.
 */
export async function buildPersonScope(wh: Warehouse, customerId: number): Promise<void> {
  const has = async (t: string) => {
    const [s, n] = t.split('.') as [string, string];
    return wh.tableExists(s, n);
  };
  const union = async (parts: readonly [string, string][]) => {
    const present: string[] = [];
    for (const [table, sql] of parts) if (await has(table)) present.push(sql);
    return present.length === 0 ? 'SELECT NULL WHERE false' : present.join('\nUNION\n');
  };

  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_ids AS
     SELECT DISTINCT issued_id AS customer_id FROM identity.id_map WHERE current_id = $1
     UNION SELECT $1::BIGINT`,
    [customerId],
  );
  const ids = 'SELECT customer_id FROM erase_ids';
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_parties AS ${await union([
      [
        'identity.record_map',
        `SELECT party_uid FROM identity.record_map WHERE customer_id IN (${ids})`,
      ],
      [
        'core.customer_xref',
        `SELECT party_uid FROM core.customer_xref WHERE customer_id IN (${ids})`,
      ],
    ])}`,
  );
  const parties = 'SELECT party_uid FROM erase_parties';
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_txn AS ${await union([
      [
        'core.fact_transactions',
        `SELECT txn_uid FROM core.fact_transactions WHERE customer_id IN (${ids})`,
      ],
      [
        'staging.transactions',
        `SELECT txn_uid FROM staging.transactions WHERE party_uid IN (${parties})`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_int AS ${await union([
      [
        'core.fact_interactions',
        `SELECT interaction_uid FROM core.fact_interactions WHERE customer_id IN (${ids})`,
      ],
      [
        'staging.interactions',
        `SELECT interaction_uid FROM staging.interactions WHERE party_uid IN (${parties})`,
      ],
      [
        'identity.contact_matches',
        `SELECT interaction_uid FROM identity.contact_matches WHERE customer_id IN (${ids})`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_sessions AS ${await union([
      [
        'core.fact_web_sessions',
        `SELECT session_id FROM core.fact_web_sessions WHERE customer_id IN (${ids})`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_hits AS ${await union([
      [
        'core.fact_page_views',
        `SELECT hit_uid FROM core.fact_page_views WHERE customer_id IN (${ids})`,
      ],
      [
        'staging.web_hits',
        `SELECT hit_uid FROM staging.web_hits WHERE session_id IN (SELECT session_id FROM erase_sessions)`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_cookies AS ${await union([
      [
        'core.fact_web_sessions',
        `SELECT cookie_id FROM core.fact_web_sessions WHERE customer_id IN (${ids}) AND cookie_id IS NOT NULL`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_contacts AS ${await union([
      [
        'core.fact_campaign_contacts',
        `SELECT contact_uid FROM core.fact_campaign_contacts WHERE customer_id IN (${ids})`,
      ],
    ])}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_records AS ${await union([
      [
        'core.fact_campaign_contacts',
        `SELECT source, source_table, record_key, 'campaign_contact' AS entity FROM core.fact_campaign_contacts WHERE customer_id IN (${ids})`,
      ],
      [
        'staging.party_records',
        `SELECT source, source_table, record_key, 'party' AS entity FROM staging.party_records WHERE party_uid IN (${parties})`,
      ],
      [
        'staging.transactions',
        `SELECT source, source_table, record_key, 'transaction' FROM staging.transactions WHERE txn_uid IN (SELECT txn_uid FROM erase_txn)`,
      ],
      [
        'staging.interactions',
        `SELECT source, source_table, record_key, 'interaction' FROM staging.interactions WHERE interaction_uid IN (SELECT interaction_uid FROM erase_int)`,
      ],
      [
        'staging.web_hits',
        `SELECT source, source_table, record_key, 'web_hit' FROM staging.web_hits WHERE hit_uid IN (SELECT hit_uid FROM erase_hits)`,
      ],
    ])}`,
  );
  // Identifiers and names as written anywhere the person's records or golden rows have them.
  const partyValues = (await has('staging.party_records'))
    ? `SELECT k, v FROM staging.party_records p,
         LATERAL (VALUES ('email', p.email), ('email', p.email_norm), ('phone', p.phone),
                         ('phone', p.mobile), ('phone', p.phone_e164), ('phone', p.mobile_e164),
                         ('web_user_id', p.web_user_id), ('loyalty_card', p.loyalty_card),
                         ('name', p.full_name), ('name', concat_ws(' ', p.first_name, p.last_name)),
                         ('name', concat_ws(' ', p.last_name, p.first_name)),
                         ('national_id', p.national_id)) AS x(k, v)
       WHERE p.party_uid IN (${parties})`
    : 'SELECT NULL AS k, NULL AS v WHERE false';
  const goldenValues = (await has('core.dim_customer_history'))
    ? `SELECT k, v FROM core.dim_customer_history h,
         LATERAL (VALUES ('email', h.email), ('phone', h.phone), ('phone', h.mobile),
                         ('web_user_id', h.web_user_id), ('loyalty_card', h.loyalty_card),
                         ('name', h.full_name)) AS x(k, v)
       WHERE h.customer_id IN (${ids})`
    : 'SELECT NULL AS k, NULL AS v WHERE false';
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE erase_values AS
     SELECT DISTINCT k AS kind, trim(v) AS value FROM (${partyValues} UNION ALL ${goldenValues})
     WHERE v IS NOT NULL AND length(trim(v)) >= 4`,
  );
}

/** How the person was found: the ids and how many records and events are theirs. */
export async function scopeCounts(
  wh: Warehouse,
): Promise<{ ids: number[]; records: number; values: number }> {
  const ids = await wh.all<{ customer_id: number }>(
    'SELECT customer_id FROM erase_ids ORDER BY customer_id',
  );
  return {
    ids: ids.map((r) => Number(r.customer_id)),
    records: Number(await wh.scalar('SELECT count(*) FROM erase_records')),
    values: Number(await wh.scalar('SELECT count(*) FROM erase_values')),
  };
}
