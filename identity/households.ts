import type { Warehouse } from '../foundation/duckdb-client.ts';
import { connectedComponents } from './connected-components.ts';

/**
 * Unit words of a standardised address line, as they appear in the (transliterated) address
 * key: a flat, apartment, suite, room or office — one dwelling of a building.
 */
const DWELLING_UNIT = String.raw`^(.*?) (apt|ste|kv|rm|komn|of) (\S.*)$`;

/**
 * Households into the temp table `households(household_id, customer_id, address_key, role)`.
 *
 * Addresses first: keys that differ by one typo (one edit in a line of 8+ characters, with
 * the same house and unit numbers and the same postcode or city: "7590 forst rd" ~ "7590
 * forest rd") are read as one address. Then customers at one address are linked when
 * - the address is one dwelling: it names a unit (flat, apartment, suite), or it is a building
 *   where no customer's address names a unit (a house) — everyone living there is the household;
 * - otherwise (a bare building address where others name their flats: an apartment block whose
 *   flat is missing) only with evidence: a shared surname (Slavic feminine endings folded:
 *   Mironova ~ Mironov) or landline (a number not typed mobile), or being the only two there.
 * An address shared by more than `maxSize` customers (care homes, student halls, a bad address
 * key) groups nobody. Linked customers form a household; its id is its oldest (smallest)
 * customer id, who is its `primary`; others are `member`.
 * Needs the temp tables `rec_customer(rec_id, customer_id)` and `id_records`.
 */
export async function buildHouseholds(wh: Warehouse, maxSize: number): Promise<number> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE hh_attr AS
    SELECT rc.customer_id, r.address_key, r.surname_stem,
           CASE WHEN coalesce(r.phone_type, '') <> 'mobile' THEN r.phone_e164 END AS land
    FROM rec_customer rc JOIN id_records r USING (rec_id)`);
  await canonicalAddresses(wh);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE hh_pairs AS
     WITH addr AS (SELECT DISTINCT a.customer_id, c.canon AS address_key
                   FROM hh_attr a JOIN hh_canon c ON c.address_key = a.address_key),
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
    dwellings AS (SELECT DISTINCT canon AS address_key FROM hh_canon WHERE dwelling),
    related AS (
      SELECT p.ca, p.cb FROM hh_pairs p SEMI JOIN dwellings d ON d.address_key = p.address_key
      UNION
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
  await wh.run(
    'DROP TABLE IF EXISTS hh_attr; DROP TABLE IF EXISTS hh_canon; DROP TABLE IF EXISTS hh_pairs; DROP TABLE IF EXISTS hh_edges; DROP TABLE IF EXISTS hh_lab',
  );
  return Number(await wh.scalar('SELECT count(DISTINCT household_id) FROM households'));
}

/**
 * `hh_canon(address_key, canon, dwelling)`: every address key of `hh_attr` with the key that
 * stands for its address (keys one typo apart share the smallest), and whether that address is
 * one dwelling (see `buildHouseholds`). Keys are compared only within the same numbers and
 * place, so the comparison stays small however many addresses there are.
 */
async function canonicalAddresses(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE hh_keys AS
    WITH k AS (SELECT DISTINCT address_key FROM hh_attr WHERE address_key IS NOT NULL)
    SELECT address_key, (dense_rank() OVER (ORDER BY address_key))::BIGINT AS id,
           split_part(address_key, '|', 1) AS line, split_part(address_key, '|', 2) AS place,
           array_to_string(regexp_extract_all(split_part(address_key, '|', 1), '\\d+'), ' ') AS numbers
    FROM k`);
  await connectedComponents(
    wh,
    `SELECT a.id AS a, b.id AS b FROM hh_keys a JOIN hh_keys b
       ON b.place = a.place AND b.numbers = a.numbers AND a.id < b.id
     WHERE a.numbers <> '' AND least(length(a.line), length(b.line)) >= 8 AND damerau_levenshtein(a.line, b.line) <= 1`,
    'hh_key_lab',
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE hh_canon AS
    WITH c AS (
      SELECT k.address_key, coalesce(r.address_key, k.address_key) AS canon, k.place
      FROM hh_keys k LEFT JOIN hh_key_lab l ON l.node = k.id LEFT JOIN hh_keys r ON r.id = l.lab),
    units AS (
      SELECT canon, place, split_part(canon, '|', 1) AS line,
             nullif(regexp_extract(split_part(canon, '|', 1), '${DWELLING_UNIT}', 1), '') AS unit_building
      FROM (SELECT DISTINCT canon, place FROM c)),
    parts AS (SELECT canon, place, unit_building IS NOT NULL AS has_unit, coalesce(unit_building, line) AS building FROM units),
    -- A building some address of which names a unit holds several dwellings.
    blocks AS (SELECT DISTINCT building, place FROM parts WHERE has_unit)
    SELECT c.address_key, c.canon,
           p.has_unit OR NOT EXISTS (SELECT 1 FROM blocks b WHERE b.building = p.building AND b.place = p.place) AS dwelling
    FROM c JOIN parts p ON p.canon = c.canon`);
  await wh.run('DROP TABLE IF EXISTS hh_keys; DROP TABLE IF EXISTS hh_key_lab');
}
