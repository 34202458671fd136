import { Warehouse } from './foundation/duckdb-client.ts';
import { profilesSql } from './warehouse/profiles/sql-file.ts';
import { FACTS } from './warehouse/profiles/build-facts.ts';
const wh = await Warehouse.open('/tmp/quiet-prof.duckdb');
const t = async (label: string, sql: string, params?: unknown[]) => {
  const c0 = process.cpuUsage();
  await wh.run(sql, params as never);
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(40), ((c.user + c.system) / 1e6).toFixed(2));
};
await t('ident', profilesSql('identifier-lookup'));
await t('cookie', profilesSql('cookie-lookup'));
for (const spec of FACTS.slice(0, 4)) {
  const c = spec.changes!;
  await t(spec.table + ' lookup_now', `CREATE OR REPLACE TEMP TABLE profiles_lookup_now AS ${c.lookups}`);
  await t(spec.table + ' changed', `CREATE OR REPLACE TEMP TABLE profiles_lookup_changed AS
     SELECT DISTINCT kind, value FROM (
       (SELECT kind, value, customer_id FROM profiles_lookup_now
        EXCEPT SELECT kind, value, customer_id FROM meta.fact_inputs WHERE fact = $1)
       UNION ALL
       (SELECT kind, value, customer_id FROM meta.fact_inputs WHERE fact = $1
        EXCEPT SELECT kind, value, customer_id FROM profiles_lookup_now))`, [spec.table]);
  await t(spec.table + ' dependents', `CREATE OR REPLACE TEMP TABLE x AS ${c.dependents}`);
  const isFact = spec.table === 'fact_page_views' ? 'coalesce(h.is_page, false)' : 'true';
  await t(spec.table + ' anti1', `CREATE OR REPLACE TEMP TABLE x AS SELECT ${c.alias}.${c.uid} FROM staging.${c.model} ${c.alias} ANTI JOIN core.${spec.table} f ON f.${c.uid} = ${c.alias}.${c.uid} WHERE ${isFact}`);
  await t(spec.table + ' anti2', `CREATE OR REPLACE TEMP TABLE x AS SELECT f.${c.uid} FROM core.${spec.table} f ANTI JOIN staging.${c.model} ${c.alias} ON ${c.alias}.${c.uid} = f.${c.uid}`);
  await t(spec.table + ' stats', `SELECT count(*) AS rows_out, count(customer_id) AS resolved, count(*) FILTER (WHERE resolved_by = 'party_key') AS by_party_key, count(*) FILTER (WHERE resolved_by = 'card') FROM core.${spec.table}`);
}
wh.close();
