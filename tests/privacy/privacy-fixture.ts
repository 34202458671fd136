import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Warehouse } from '../../foundation/duckdb-client.ts';
import { main } from '../../jobs/cli/main.ts';
import { captureIO } from '../helpers/cli.ts';

/** A demo company after `nights` nights, generated once per test file. */
export async function demoCompany(dir: string, nights = 3): Promise<string> {
  const io = captureIO();
  const code = await main(
    [
      'node',
      'cdw',
      'demo',
      '--dir',
      dir,
      '--customers',
      '40',
      '--nights',
      String(nights),
      '--seed',
      '11',
    ],
    io,
  );
  if (code !== 0) throw new Error(`cdw demo failed: ${io.errText()}`);
  return path.join(dir, 'cdw.yaml');
}

export function copyCompany(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return path.join(to, 'cdw.yaml');
}

export async function withWarehouse<T>(dir: string, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await Warehouse.open(path.join(dir, 'warehouse.duckdb'), { readOnly: true });
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

/**
 * The person's e-mails, phones (as written and normalised), names and birth date, from their
 * records before the erasure — minus the values someone else's records have too (a household's
 * shared landline is the household's, not only the person's).
 */
export async function personalValues(wh: Warehouse, customerId: number): Promise<string[]> {
  const values = (where: string) => `
    SELECT DISTINCT trim(v) AS v FROM (
      SELECT unnest([email, email_norm, phone, mobile, phone_e164, mobile_e164, full_name,
                     concat_ws(' ', first_name, last_name), CAST(birth_date AS VARCHAR)]) AS v
      FROM staging.party_records WHERE ${where})
    WHERE v IS NOT NULL AND length(trim(v)) >= 5`;
  const mine = `party_uid IN (SELECT party_uid FROM identity.record_map WHERE customer_id IN
                  (SELECT issued_id FROM identity.id_map WHERE current_id = ${customerId}))`;
  const rows = await wh.all<{ v: string }>(
    `${values(mine)} EXCEPT SELECT v FROM (${values(`NOT (${mine})`)})`,
  );
  return rows.map((r) => r.v);
}

/** Every place (table.column, or report file) where one of `values` still appears. */
export async function findValues(
  wh: Warehouse,
  values: readonly string[],
  reportsDir: string,
): Promise<string[]> {
  const found: string[] = [];
  const cols = await wh.all<{ s: string; t: string; c: string }>(
    `SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_catalog = current_database()`,
  );
  for (const { s, t, c } of cols) {
    const n = Number(
      await wh.scalar(
        `SELECT count(*) FROM "${s}"."${t}" WHERE EXISTS (SELECT 1 FROM unnest($1::VARCHAR[]) AS x(v)
           WHERE contains(lower(CAST("${c}" AS VARCHAR)), lower(x.v)))`,
        [`[${values.map((v) => JSON.stringify(v)).join(',')}]`],
      ),
    );
    if (n > 0) found.push(`${s}.${t}.${c}`);
  }
  for (const f of readdirSync(reportsDir)) {
    const file = path.join(reportsDir, f);
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file, 'utf8').toLowerCase();
    for (const v of values) if (text.includes(v.toLowerCase())) found.push(`${f}: ${v}`);
  }
  return found;
}

/**
 * count and an order-free checksum of every table of the data layers (to compare two
 * warehouses); `computed_at` (when a mart was last built) is left out, and floating-point
 * values are rounded (DuckDB's parallel sums differ in the last digit from run to run).
 */
export async function checksums(wh: Warehouse): Promise<Record<string, string>> {
  const cols = await wh.all<{ s: string; t: string; c: string; type: string }>(
    `SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c, c.data_type AS type
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()
       AND (c.table_schema IN ('raw', 'staging', 'identity', 'core', 'marts')
            OR (c.table_schema = 'meta' AND c.table_name = 'rejected_rows'))
       AND NOT (c.table_schema = 'marts' AND c.table_name = 'run_as_of')
       AND c.column_name <> 'computed_at'
     ORDER BY 1, 2, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { s, t, c, type } of cols) {
    const key = `"${s}"."${t}"`;
    const expr = type === 'DOUBLE' || type === 'FLOAT' ? `round("${c}", 6)` : `"${c}"`;
    tables.set(key, [...(tables.get(key) ?? []), expr]);
  }
  const out: Record<string, string> = {};
  for (const [table, exprs] of tables)
    out[table] = String(
      await wh.scalar(
        `SELECT count(*) || ':' || coalesce(sum(hash(row(${exprs.join(', ')}))), 0) FROM ${table}`,
      ),
    );
  return out;
}
