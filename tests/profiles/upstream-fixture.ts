import type { Warehouse } from '../../foundation/duckdb-client.ts';

/**
 * Upstream tables of the profiles step, created exactly as the contracts in transforms/CONTEXT.md
 * and identity/CONTEXT.md describe them, so tests (and bench/profiles.ts) can play nights
 * without the transform and identity steps.
 */
export const UPSTREAM_DDL = `
CREATE OR REPLACE TABLE staging.party_records (
  party_uid VARCHAR, source VARCHAR, source_table VARCHAR, record_key VARCHAR, system VARCHAR,
  title VARCHAR, first_name VARCHAR, middle_name VARCHAR, last_name VARCHAR, full_name VARCHAR, company VARCHAR,
  email VARCHAR, phone VARCHAR, mobile VARCHAR, address VARCHAR, postcode VARCHAR, city VARCHAR, country VARCHAR,
  gender VARCHAR, loyalty_card VARCHAR, web_user_id VARCHAR, external_ref VARCHAR, external_ref_source VARCHAR,
  status VARCHAR, birth_date DATE, consent_email BOOLEAN, consent_phone BOOLEAN, consent_sms BOOLEAN,
  created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
  first_key VARCHAR, middle_key VARCHAR, last_key VARCHAR, given_key VARCHAR, name_swapped BOOLEAN,
  email_norm VARCHAR, email_key VARCHAR, email_valid BOOLEAN, email_is_free BOOLEAN, email_is_role BOOLEAN,
  phone_e164 VARCHAR, mobile_e164 VARCHAR, phone_type VARCHAR, phone_valid BOOLEAN,
  address_norm VARCHAR, postcode_norm VARCHAR, city_norm VARCHAR, country_code VARCHAR, address_key VARCHAR,
  is_closed BOOLEAN, is_deceased BOOLEAN, _load_id VARCHAR, _loaded_at TIMESTAMPTZ
);
CREATE OR REPLACE TABLE staging.transactions (
  txn_uid VARCHAR, source VARCHAR, source_table VARCHAR, record_key VARCHAR, kind VARCHAR, party_uid VARCHAR,
  card VARCHAR, email_key VARCHAR, phone_e164 VARCHAR, amount DOUBLE, cost DOUBLE, currency VARCHAR, quantity DOUBLE,
  product VARCHAR, product_category VARCHAR, channel VARCHAR, store VARCHAR, status VARCHAR,
  occurred_at TIMESTAMPTZ, updated_at TIMESTAMPTZ
);
CREATE OR REPLACE TABLE staging.interactions (
  interaction_uid VARCHAR, source VARCHAR, source_table VARCHAR, record_key VARCHAR, party_uid VARCHAR,
  email_key VARCHAR, phone_e164 VARCHAR, channel VARCHAR, direction VARCHAR, queue VARCHAR, category VARCHAR,
  is_complaint BOOLEAN, is_abandoned BOOLEAN, duration_s DOUBLE, status VARCHAR, opened_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ
);
CREATE OR REPLACE TABLE staging.web_hits (
  hit_uid VARCHAR, source VARCHAR, source_table VARCHAR, occurred_at TIMESTAMPTZ, ip VARCHAR, cookie_id VARCHAR,
  user_id VARCHAR, method VARCHAR, url VARCHAR, path VARCHAR, status INTEGER, bytes BIGINT, referrer VARCHAR,
  user_agent VARCHAR, is_bot BOOLEAN, session_id VARCHAR
);
CREATE OR REPLACE TABLE staging.web_sessions (
  session_id VARCHAR, cookie_id VARCHAR, user_id VARCHAR, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ,
  hits BIGINT, page_views BIGINT, landing_path VARCHAR, is_bot BOOLEAN
);
CREATE OR REPLACE TABLE staging.cookie_links (
  cookie_id VARCHAR, user_id VARCHAR, first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, hits BIGINT
);
CREATE OR REPLACE TABLE core.customer_xref (
  customer_id BIGINT, party_uid VARCHAR, source VARCHAR, source_table VARCHAR, record_key VARCHAR,
  match_probability DOUBLE, linked_by VARCHAR
);
CREATE OR REPLACE TABLE identity.id_history (
  old_id BIGINT, new_id BIGINT, event VARCHAR, run_id VARCHAR, reason VARCHAR, "at" TIMESTAMPTZ
);
CREATE OR REPLACE TABLE core.dim_household (
  household_id BIGINT, customer_id BIGINT, address_key VARCHAR, role VARCHAR
);`;

export async function createUpstreamTables(wh: Warehouse): Promise<void> {
  await wh.run(UPSTREAM_DDL);
}

/** A party record as a test writes it; everything standardised is derived the simple way. */
export interface Party {
  readonly customer: number;
  readonly source: string;
  readonly key: string;
  readonly table?: string;
  readonly system?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly postcode?: string;
  readonly city?: string;
  /** Standardised name keys (transliterated in transforms); default: the names lowercased. */
  readonly first_key?: string;
  readonly last_key?: string;
  /** Normalised address (transforms' household key); default: address and postcode lowercased. */
  readonly address_key?: string;
  readonly loyalty_card?: string;
  readonly web_user_id?: string;
  readonly birth_date?: string;
  readonly status?: string;
  readonly consent_email?: boolean;
  readonly created_at?: string;
  readonly updated_at?: string | null;
}

export const partyUid = (p: Pick<Party, 'source' | 'table' | 'key'>): string =>
  `${p.source}.${p.table ?? 'customers'}:${p.key}`;

/** Replaces staging.party_records and core.customer_xref with these records (one night's view). */
export async function setParties(
  wh: Warehouse,
  parties: readonly Party[],
  loadId = 'load-1',
): Promise<void> {
  await wh.run('DELETE FROM staging.party_records');
  await wh.run('DELETE FROM core.customer_xref');
  for (const p of parties) {
    const table = p.table ?? 'customers';
    await wh.run(
      `INSERT INTO staging.party_records BY NAME
       SELECT $1 AS party_uid, $2 AS source, $3 AS source_table, $4 AS record_key, $5 AS system,
              $6 AS first_name, $7 AS last_name, $8 AS email, $9 AS phone, $10 AS address, $11 AS postcode, $12 AS city,
              $13 AS loyalty_card, $14 AS web_user_id, CAST($15 AS DATE) AS birth_date, $16 AS status, $17 AS consent_email,
              CAST($18 AS TIMESTAMPTZ) AS created_at, CAST($19 AS TIMESTAMPTZ) AS updated_at,
              coalesce($22, lower($6)) AS first_key, coalesce($23, lower($7)) AS last_key, lower($8) AS email_norm, lower($8) AS email_key,
              CASE WHEN starts_with($9, '+') THEN $9 END AS phone_e164,
              lower($10) AS address_norm, coalesce($21, lower($10) || '|' || lower($11)) AS address_key, 'GB' AS country_code,
              coalesce($16 = 'closed', false) AS is_closed, coalesce($16 = 'deceased', false) AS is_deceased,
              $20 AS _load_id, current_timestamp AS _loaded_at`,
      [
        partyUid(p),
        p.source,
        table,
        p.key,
        p.system ?? p.source,
        p.first_name ?? null,
        p.last_name ?? null,
        p.email ?? null,
        p.phone ?? null,
        p.address ?? null,
        p.postcode ?? null,
        p.city ?? null,
        p.loyalty_card ?? null,
        p.web_user_id ?? null,
        p.birth_date ?? null,
        p.status ?? null,
        p.consent_email ?? null,
        p.created_at ?? '2020-01-01T00:00:00Z',
        p.updated_at === undefined ? '2020-01-01T00:00:00Z' : p.updated_at,
        loadId,
        p.address_key ?? null,
        p.first_key ?? null,
        p.last_key ?? null,
      ],
    );
    await wh.run(`INSERT INTO core.customer_xref VALUES ($1, $2, $3, $4, $5, 1.0, 'self')`, [
      p.customer,
      partyUid(p),
      p.source,
      table,
      p.key,
    ]);
  }
}
