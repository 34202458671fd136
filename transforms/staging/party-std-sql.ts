import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { quoteIdent } from '../../foundation/sql.ts';
import { callingCodeRegion, phoneSqlMacros, sqlPhoneRegions } from '../standardise/phone-sql.ts';
import {
  PARTY_STD_INPUTS,
  partyPhoneRegion,
  SQL_EMAIL,
  SQL_MOBILE,
  SQL_NAME,
  SQL_PHONE,
} from './party-std-parts.ts';

// The parts of new party inputs that SQL standardises exactly as the JavaScript does: e-mails
// (printable ASCII: `cdw_sql_std_email`, standardise/email-macros.sql), names given as one
// ASCII word of given name and one of family name (`cdw_sql_std_name`, name-macros.sql) and
// phone numbers
// libphonenumber would find valid in a region the phone macros know (`cdw_sql_std_phone`,
// standardise/phone-sql.ts). Whatever SQL leaves NULL goes to the JavaScript standardisers.
// tests/transforms/party-std-sql.test.ts compares both on the standardisers' test strings and a demo.

type Row = Record<string, string | null>;

/**
 * The region each input's phones are read in, as `partyStdParts` picks it (from the phone
 * country, the address's country and the default country): computed in JavaScript for each
 * distinct triple — a handful per table — into `regionTable`.
 */
async function phoneRegions(
  wh: Warehouse,
  misses: string,
  regionTable: string,
): Promise<Set<string>> {
  const triples = await wh.all<Row>(
    `SELECT DISTINCT country, default_country, phone_country FROM temp.${quoteIdent(misses)}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(regionTable)} (country VARCHAR, default_country VARCHAR, phone_country VARCHAR, region VARCHAR)`,
  );
  const appender = await wh.conn.createAppender(regionTable, 'main', 'temp');
  const regions = new Set<string>();
  try {
    for (const t of triples) {
      const region = partyPhoneRegion(
        t.country ?? null,
        t.default_country ?? null,
        t.phone_country ?? null,
      );
      if (region !== null) regions.add(region);
      for (const v of [t.country, t.default_country, t.phone_country, region]) {
        if (v === null || v === undefined) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
  return regions;
}

/** The regions of the calling codes the "+…" numbers among the inputs start with. */
async function callingCodeRegions(wh: Warehouse, misses: string): Promise<Set<string>> {
  const prefixes = await wh.all<{ p: string }>(
    `SELECT DISTINCT left(regexp_replace(v, '[^0-9]', '', 'g'), 3) AS p
     FROM (SELECT phone AS v FROM temp.${quoteIdent(misses)} UNION ALL SELECT mobile FROM temp.${quoteIdent(misses)})
     WHERE ltrim(v) LIKE '+%'`,
  );
  const out = new Set<string>();
  for (const { p } of prefixes) {
    const region = callingCodeRegion(p);
    if (region !== undefined) out.add(region);
  }
  return out;
}

/** Regions the phone macros of a connection cover (the macros are temporary: per connection). */
const MACRO_REGIONS = new WeakMap<
  Warehouse['conn'],
  { tried: Set<string>; usable: Map<string, string> }
>();

/** Whether DuckDB takes the phone macros of `regions` (their patterns as RE2 reads them). */
async function macrosWork(wh: Warehouse, regions: ReadonlyMap<string, string>): Promise<boolean> {
  try {
    await wh.run(phoneSqlMacros(regions));
    const [region, cc] = [...regions][0] ?? ['US', '1'];
    await wh.run(`SELECT cdw_sql_std_phone('+${cc}0', '${region}')`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the connection's phone macros cover `regions` too (they only grow: a region more or
 * less changes which numbers SQL decides, never a result), leaving out a region whose patterns
 * DuckDB's regular expressions would not take (then libphonenumber decides its numbers).
 */
async function createPhoneMacros(wh: Warehouse, regions: Set<string>): Promise<void> {
  const known = MACRO_REGIONS.get(wh.conn) ?? { tried: new Set<string>(), usable: new Map() };
  MACRO_REGIONS.set(wh.conn, known);
  const fresh = [...regions].filter((r) => !known.tried.has(r));
  if (fresh.length === 0 && known.usable.size > 0) return;
  for (const r of fresh) known.tried.add(r);
  const wanted = new Map([...known.usable, ...sqlPhoneRegions(fresh)]);
  if (!(await macrosWork(wh, wanted))) {
    // find the region at fault: each new one alone
    for (const [region, cc] of sqlPhoneRegions(fresh))
      if (!(await macrosWork(wh, new Map([[region, cc]])))) wanted.delete(region);
    await wh.run(phoneSqlMacros(wanted));
  }
  known.usable = wanted;
}

/**
 * `partsTable` (new, so its rowids run 0…n-1): the rows of `misses` with
 * `_sql_name`, `_sql_email`, `_sql_phone`, `_sql_mobile` (the part's struct, NULL when SQL could not decide)
 * and `_sql_done` (the bits `partyStdParts` skips).
 */
export async function standardiseInSql(
  wh: Warehouse,
  misses: string,
  partsTable: string,
): Promise<void> {
  const regionTable = `${misses}__regions`;
  try {
    const regions = await phoneRegions(wh, misses, regionTable);
    for (const r of await callingCodeRegions(wh, misses)) regions.add(r);
    await createPhoneMacros(wh, regions);
    const same = (c: string) => `r.${c} IS NOT DISTINCT FROM m.${c}`;
    // In stages, each a column computed once (materialised: DuckDB would otherwise put a
    // stage's expression back into every use of its column): text and digits; local part,
    // domain and phone candidates; types; parts.
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(partsTable)} AS
       WITH texts AS MATERIALIZED (
         SELECT m.k, ${PARTY_STD_INPUTS.map((c) => `m.${quoteIdent(c)}`).join(', ')},
                r.region AS _region,
                cdw_sql_email_decides(m.email) AS _e_ok,
                CASE WHEN cdw_sql_email_decides(m.email) THEN cdw_sql_email_text(m.email) END AS _e,
                regexp_replace(m.phone, '[^0-9]', '', 'g') AS _p_d,
                regexp_replace(m.mobile, '[^0-9]', '', 'g') AS _m_d,
                CASE WHEN cdw_sql_name_decides(m.full_name, m.title, m.first_name, m.middle_name, m.last_name)
                     THEN cdw_sql_std_name(m.first_name, m.last_name, g.canonical, l.variant IS NOT NULL) END AS _sql_name
         FROM temp.${quoteIdent(misses)} m
         LEFT JOIN temp.${quoteIdent(regionTable)} r
           ON ${same('country')} AND ${same('default_country')} AND ${same('phone_country')}
         LEFT JOIN temp.cdw_given_names g ON g.variant = lower(trim(m.first_name))
         LEFT JOIN temp.cdw_given_names l ON l.variant = lower(trim(m.last_name))
       ),
       pieces AS MATERIALIZED (
         SELECT * EXCLUDE (_region, _p_d, _m_d),
                cdw_sql_email_local(_e) AS _e_l, cdw_sql_email_domain(_e) AS _e_d,
                cdw_sql_phone_candidate(phone, _p_d, _region) AS _p_c,
                cdw_sql_phone_candidate(mobile, _m_d, _region) AS _m_c
         FROM texts
       ),
       typed AS MATERIALIZED (
         SELECT *, cdw_sql_phone_type(_p_c.region, _p_c.n) AS _p_t, cdw_sql_phone_type(_m_c.region, _m_c.n) AS _m_t
         FROM pieces
       ),
       parts AS (
         SELECT * EXCLUDE (_e_ok, _e, _e_l, _e_d, _p_c, _m_c, _p_t, _m_t),
                CASE WHEN _e_ok THEN cdw_sql_email_parts(_e, _e_l, _e_d) END AS _sql_email,
                cdw_sql_phone_parts(phone, _p_c, _p_t) AS _sql_phone,
                cdw_sql_phone_parts(mobile, _m_c, _m_t) AS _sql_mobile
         FROM typed
       )
       SELECT *, (CASE WHEN _sql_email IS NULL THEN 0 ELSE ${SQL_EMAIL} END)
                 + (CASE WHEN _sql_phone IS NULL THEN 0 ELSE ${SQL_PHONE} END)
                 + (CASE WHEN _sql_mobile IS NULL THEN 0 ELSE ${SQL_MOBILE} END)
                 + (CASE WHEN _sql_name IS NULL THEN 0 ELSE ${SQL_NAME} END) AS _sql_done
       FROM parts`,
    );
  } finally {
    await wh.run(`DROP TABLE IF EXISTS temp.${quoteIdent(regionTable)}`);
  }
}
