import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import type { Warehouse } from '../../foundation/duckdb-client.ts';

/**
 * The party standardisation cache: `meta.party_std_cache(k, version, addr, name, email, phone,
 * mobile)` holds the standardised parts (the structs of the `cdw_std_*` functions) of every
 * party input seen by the last runs, keyed by an md5 of the inputs (names, e-mail, phones,
 * address parts, the source's default country). When staging is restaged whole (first night,
 * a changed config or code, a full refresh) most records are as before: the JavaScript
 * standardisers (libphonenumber above all) then run only for inputs not seen before.
 *
 * `version` is a hash of the code that produces the parts (the standardisers, the functions,
 * the model and libphonenumber's version), stored per entry: an entry of another version is
 * stale — never served, and re-standardised when a unit reads its inputs again
 * (`party-std-fill.ts` replaces it), so an upgrade costs the inputs read, not the whole cache at
 * once. Only a change of the parts' shape (a struct field added) drops the cache whole. Keys a
 * full restage did not use are pruned after it (`closePartyStdCache`), so the cache holds about
 * one entry per distinct party input in staging, plus the inputs of versions replaced since.
 */
const CACHE = 'meta.party_std_cache';
/** Keys the units of this run looked up (hits and misses), on the step's connection. */
const USED = 'party_std_used';

/** Creates the cache (or recreates it when its parts changed shape) and the run's used-key list. */
export async function openPartyStdCache(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE party_std_shape AS ${CACHE_SHAPE}`);
  if (await wh.tableExists('meta', 'party_std_cache')) {
    // entries of other code stay (stale, replaced when read); other struct types cannot
    const shapes = await wh.scalar<number>(
      `SELECT count(*) FROM (
         SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'meta' AND table_name = 'party_std_cache'
         EXCEPT SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'party_std_shape' AND table_catalog = 'temp')`,
    );
    if (Number(shapes) > 0) await wh.run(`DROP TABLE ${CACHE}`);
  }
  await wh.run(`CREATE TABLE IF NOT EXISTS ${CACHE} AS SELECT * FROM party_std_shape`);
  await wh.run('DROP TABLE party_std_shape');
  await wh.run(`CREATE OR REPLACE TEMP TABLE ${USED} (k VARCHAR)`);
}

const CACHE_SHAPE = `
    SELECT NULL::VARCHAR AS k, NULL::VARCHAR AS version,
           cdw_std_address(NULL, NULL, NULL, NULL, NULL) AS addr,
           cdw_std_name(NULL, NULL, NULL, NULL, NULL, NULL) AS name,
           cdw_std_email(NULL) AS email,
           cdw_std_phone(NULL, NULL) AS phone,
           cdw_std_phone(NULL, NULL) AS mobile
    LIMIT 0`;

/** After a unit standardised `stdTable`: stores the parts it computed, notes every key it used. */
export async function recordPartyStd(wh: Warehouse, stdTable: string): Promise<void> {
  await wh.run(
    `INSERT INTO ${CACHE}
     SELECT _std_key, $1, any_value(_addr), any_value(_name), any_value(_email), any_value(_phone), any_value(_mobile)
     FROM ${stdTable} WHERE NOT _std_cached GROUP BY _std_key`,
    [partyStdVersion()],
  );
  await wh.run(`INSERT INTO ${USED} SELECT DISTINCT _std_key FROM ${stdTable}`);
}

/** Ends the run's use of the cache; after a successful run, drops the entries no unit used. */
export async function closePartyStdCache(wh: Warehouse, opts: { prune: boolean }): Promise<void> {
  if (opts.prune)
    await wh.run(
      `DELETE FROM ${CACHE} c WHERE NOT EXISTS (SELECT 1 FROM ${USED} u WHERE u.k = c.k)`,
    );
  await wh.run(`DROP TABLE IF EXISTS temp.${USED}`);
}

let version: string | undefined;

/** Hash of everything that decides a party's standardised parts (see the cache above). */
export function partyStdVersion(): string {
  if (version !== undefined) return version;
  const h = createHash('md5');
  const std = new URL('../standardise/', import.meta.url);
  for (const f of readdirSync(std).sort()) h.update(f).update(readFileSync(new URL(f, std)));
  // .ts when run from the sources, .js when run from the compiled dist/ (bin/build.js)
  const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
  for (const f of [`party-std-parts${ext}`, `party-udfs${ext}`, 'party-std.sql'])
    h.update(f).update(readFileSync(new URL(f, import.meta.url)));
  h.update(readFileSync(new URL(import.meta.resolve('libphonenumber-js/package.json'))));
  version = h.digest('hex');
  return version;
}
