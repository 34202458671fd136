import { registerStandardiseUdfs } from './standardise/duckdb-udfs.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { readSql } from '../foundation/sql-template.ts';
import { registerPartyUdfs } from './staging/party-udfs.ts';
import { emailSqlMacros } from './standardise/email-sql.ts';
import { nameSqlMacros } from './standardise/name-sql.ts';

/**
 * Makes the staging SQL runnable on the warehouse's main connection: the typing, e-mail and
 * name macros (temporary, per connection; the phone macros are made per table, for its regions) and the standardisation UDFs (registered once per database;
 * a second run in the same process finds them and leaves them).
 */
export async function prepareConnection(wh: Warehouse): Promise<void> {
  await wh.run(readSql(import.meta.url, 'typing/macros.sql'));
  await wh.run(emailSqlMacros());
  await wh.run(nameSqlMacros());
  const rows = await wh.all<{ name: string }>(
    `SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE function_name LIKE 'cdw\\_%' ESCAPE '\\'`,
  );
  const known = new Set(rows.map((r) => r.name));
  if (!known.has('cdw_phone_e164')) registerStandardiseUdfs(wh.conn);
  registerPartyUdfs(wh.conn, known);
}
