import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import type { Comparison } from './comparisons.ts';
import { comparisonColumns, comparisonSelectList, gammaColumn } from './comparison-sql.ts';
import { PERSON_EVIDENCE } from './accept-links.ts';
import type { Model } from './model.ts';
import { levelWeightsSql } from './pair-weight.ts';
import { tfAdjustmentSql } from './score-pairs.ts';

/** What a contact record knows, as the columns the comparisons read (the rest are NULL). */
const CONTACT_COLUMNS: Readonly<Record<string, string>> = {
  first_key: 'c.contact_first_key',
  given_key: 'coalesce(c.contact_given_key, c.contact_first_key)',
  first_initial: 'left(c.contact_first_key, 1)',
  last_key: 'c.contact_last_key',
  last_initial: 'left(c.contact_last_key, 1)',
  last_given: 'c.contact_last_key',
  email_key: 'c.email_key',
  email_user: "nullif(split_part(c.email_key, '@', 1), '')",
  email_local:
    "CASE WHEN length(split_part(c.email_key, '@', 1)) >= 5 THEN split_part(c.email_key, '@', 1) END",
  email_domain: "nullif(split_part(c.email_key, '@', 2), '')",
  phone_e164: 'c.phone_e164',
  // a caller's number may be their own: compared as possibly personal
  phone_personal: 'c.phone_e164 IS NOT NULL',
  phones: 'list_filter([c.phone_e164], x -> x IS NOT NULL)',
};

/**
 * Interactions that name no party record (a call with only a number, a ticket with a name and
 * an e-mail) matched to customers by the run's own model: each distinct contact (name, e-mail,
 * phone) is paired with the records sharing its e-mail, a phone number or its full name, scored
 * like any pair, and given the customer of its best pair when that pair reaches the threshold,
 * agrees on something personal and no other customer scores as well. Writes the temp table
 * `contact_matches(interaction_uid, customer_id, match_probability)`; needs `cmp_records`,
 * `rec_customer` and the model tables of score-pairs.ts.
 */
export async function matchContacts(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  model: Model,
  threshold: number,
): Promise<number> {
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE contact_matches (interaction_uid VARCHAR, customer_id BIGINT, match_probability DOUBLE)',
  );
  if (!(await wh.tableExists('staging', 'interactions'))) return 0;
  // what the comparisons read, and what the contacts are paired on
  const needed = [
    ...new Set([
      ...comparisonColumns(comparisons),
      'email_key',
      'phone_e164',
      'first_key',
      'last_key',
    ]),
  ];
  const types = new Map(
    (await wh.all<{ column_name: string; column_type: string }>('DESCRIBE cmp_records')).map(
      (t) => [t.column_name, t.column_type],
    ),
  );
  // what contacts lack is NULL of the records' own type (a date compares with a date)
  const cols = needed
    .filter((c) => c !== 'rec_id')
    .map(
      (c) =>
        `${CONTACT_COLUMNS[c] ?? `CAST(NULL AS ${types.get(c) ?? 'VARCHAR'})`} AS ${quoteIdent(c)}`,
    );
  await wh.run(`CREATE OR REPLACE TEMP TABLE contact_records AS
    WITH c AS (
      SELECT contact_first_key, contact_given_key, contact_last_key, email_key, phone_e164,
             list(interaction_uid) AS uids
      FROM staging.interactions
      WHERE party_uid IS NULL AND (email_key IS NOT NULL OR phone_e164 IS NOT NULL OR contact_last_key IS NOT NULL)
      GROUP BY ALL)
    SELECT row_number() OVER (ORDER BY uids[1])::INTEGER AS rec_id, c.uids, ${cols.join(', ')}
    FROM c`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE contact_pairs AS
    SELECT DISTINCT c.rec_id AS l, r.rec_id AS r FROM contact_records c JOIN cmp_records r
      ON c.email_key = r.email_key
      OR c.phone_e164 = r.phone_e164 OR c.phone_e164 = r.mobile_e164
      OR (c.first_key = r.first_key AND c.last_key = r.last_key)`);
  const gammas = comparisons.map((c) => `g.${gammaColumn(c)}`).join(', ');
  await wh.run(`CREATE OR REPLACE TEMP TABLE contact_scored AS
    WITH g AS (
      SELECT p.l, p.r, ${comparisonSelectList(comparisons)}
      FROM contact_pairs p JOIN contact_records l ON l.rec_id = p.l JOIN cmp_records r ON r.rec_id = p.r)
    SELECT g.l, g.r, ${gammas},
           ${levelWeightsSql(comparisons, model)} + ${tfAdjustmentSql(comparisons)} AS match_weight
    FROM g CROSS JOIN tf_u tu`);
  await wh.run(
    `INSERT INTO contact_matches
     WITH per_customer AS (
       SELECT s.l, rc.customer_id, max(s.match_weight) AS w,
              bool_or(${PERSON_EVIDENCE}) AS personal
       FROM contact_scored s JOIN rec_customer rc ON rc.rec_id = s.r
       GROUP BY ALL),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY l ORDER BY w DESC, customer_id) AS k,
              lead(w) OVER (PARTITION BY l ORDER BY w DESC, customer_id) AS next_w
       FROM per_customer),
     chosen AS (
       SELECT l, customer_id, 1 / (1 + pow(2, -w)) AS p FROM ranked
       WHERE k = 1 AND (next_w IS NULL OR next_w < w) AND personal AND 1 / (1 + pow(2, -w)) >= $1)
     SELECT unnest(c.uids), ch.customer_id, ch.p FROM chosen ch JOIN contact_records c ON c.rec_id = ch.l`,
    [threshold],
  );
  await wh.run('DROP TABLE contact_records; DROP TABLE contact_pairs; DROP TABLE contact_scored');
  return Number(await wh.scalar('SELECT count(*) FROM contact_matches'));
}
