import type { Warehouse } from '../warehouse/duckdb-client.ts';
import { connectedComponents } from './connected-components.ts';

/**
 * Households into the temp table `households(household_id, customer_id, address_key, role)`:
 * customers who share a normalised address key (street, number, flat, postcode) and also a
 * surname (Slavic feminine endings folded: Mironova ~ Mironov) or a landline (a number not
 * typed mobile) are linked, as are the only two customers at an address (a couple with two
 * surnames); linked customers form a household. An address shared by
 * more than `maxSize` customers (care homes, student halls, a bad address key) groups nobody.
 * The household id is its oldest (smallest) customer id, who is its `primary`; others are `member`.
 * Needs the temp table `rec_customer(rec_id, customer_id)`.
 */
export async function buildHouseholds(wh: Warehouse, maxSize: number): Promise<number> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE hh_attr AS
    SELECT rc.customer_id, r.address_key, r.surname_stem,
           CASE WHEN coalesce(r.phone_type, '') <> 'mobile' THEN r.phone_e164 END AS land
    FROM rec_customer rc JOIN id_records r USING (rec_id)`);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE hh_pairs AS
     WITH addr AS (SELECT DISTINCT customer_id, address_key FROM hh_attr WHERE address_key IS NOT NULL),
     ok AS (SELECT address_key, count(*) AS n FROM addr GROUP BY address_key HAVING count(*) BETWEEN 2 AND $1)
     SELECT a.customer_id AS ca, b.customer_id AS cb, a.address_key, ok.n AS at_address
     FROM addr a JOIN ok USING (address_key) JOIN addr b ON b.address_key = a.address_key AND a.customer_id < b.customer_id`,
    [maxSize],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE hh_edges AS
    WITH names AS (SELECT DISTINCT customer_id, surname_stem FROM hh_attr WHERE surname_stem IS NOT NULL
                   AND customer_id IN (SELECT ca FROM hh_pairs UNION SELECT cb FROM hh_pairs)),
    lands AS (SELECT DISTINCT customer_id, land FROM hh_attr WHERE land IS NOT NULL
              AND customer_id IN (SELECT ca FROM hh_pairs UNION SELECT cb FROM hh_pairs)),
    related AS (
      SELECT p.ca, p.cb FROM hh_pairs p JOIN names x ON x.customer_id = p.ca JOIN names y ON y.customer_id = p.cb AND y.surname_stem = x.surname_stem
      UNION
      SELECT ca, cb FROM hh_pairs WHERE at_address = 2
      UNION
      SELECT p.ca, p.cb FROM hh_pairs p JOIN lands x ON x.customer_id = p.ca JOIN lands y ON y.customer_id = p.cb AND y.land = x.land)
    SELECT p.* FROM hh_pairs p SEMI JOIN related r ON r.ca = p.ca AND r.cb = p.cb`);
  await connectedComponents(wh, 'SELECT ca::BIGINT AS a, cb::BIGINT AS b FROM hh_edges', 'hh_lab');
  await wh.run(`CREATE OR REPLACE TEMP TABLE households AS
    WITH addr AS (
      SELECT h.lab AS household_id, e.address_key, count(*) AS n
      FROM hh_edges e JOIN hh_lab h ON h.node = e.ca GROUP BY ALL),
    best AS (SELECT household_id, arg_max(address_key, (n, address_key)) AS address_key FROM addr GROUP BY household_id)
    SELECT h.lab AS household_id, h.node AS customer_id, b.address_key,
           CASE WHEN h.node = h.lab THEN 'primary' ELSE 'member' END AS role
    FROM hh_lab h JOIN best b ON b.household_id = h.lab`);
  await wh.run('DROP TABLE IF EXISTS hh_attr; DROP TABLE IF EXISTS hh_pairs; DROP TABLE IF EXISTS hh_edges; DROP TABLE IF EXISTS hh_lab');
  return Number(await wh.scalar('SELECT count(DISTINCT household_id) FROM households'));
}
