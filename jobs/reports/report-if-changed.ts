import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { digest, tableFingerprint, tableVersion } from './mart-state.ts';
import { exportReport, type ReportDefinition } from './report-catalog.ts';
import type { ReportFormat } from './files/export.ts';

/**
 * Writes a report file only when what it would hold changed: the mart table (the version its
 * mart marked when it last wrote it — mart-state.ts `markWritten` — else its content), its
 * columns, the query and format (a fingerprint kept in `meta.report_files`), or the file is not
 * the one written last (missing, or its size or modification time differ). An unchanged file is
 * left byte for byte as it was. The state is recorded after the file is renamed into place, so a
 * kill in between only means the file is written again next time.
 */
export async function exportReportIfChanged(
  wh: Warehouse,
  def: ReportDefinition,
  dir: string,
  format: ReportFormat,
  fullRefresh: boolean,
  catalog?: MartColumns,
): Promise<{ rows: number; written: boolean }> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.report_files (file VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, rows BIGINT NOT NULL, size BIGINT NOT NULL, mtime_ms DOUBLE NOT NULL)`,
  );
  const file = path.resolve(dir, `${def.name}.${format}`);
  const table = `marts.${def.table}`;
  const columns = (catalog ?? (await martColumns(wh))).get(def.table) ?? [];
  const fp = digest({
    format,
    orderBy: def.orderBy,
    columns,
    // the version a mart marked when it last wrote the table; by content for any other table
    content: (await tableVersion(wh, table)) ?? (await tableFingerprint(wh, table)),
  });
  const last = await wh.one<{ fingerprint: string; rows: bigint; size: bigint; mtime_ms: number }>(
    'SELECT fingerprint, rows, size, mtime_ms FROM meta.report_files WHERE file = $1',
    [file],
  );
  if (!fullRefresh && last !== undefined && last.fingerprint === fp && existsSync(file)) {
    const st = statSync(file);
    if (st.size === Number(last.size) && st.mtimeMs === last.mtime_ms)
      return { rows: Number(last.rows), written: false };
  }
  const { rows } = await exportReport(wh, def, dir, format);
  const st = statSync(file);
  await wh.run('INSERT OR REPLACE INTO meta.report_files VALUES ($1, $2, $3, $4, $5)', [
    file,
    fp,
    rows,
    st.size,
    st.mtimeMs,
  ]);
  return { rows, written: true };
}

/** The columns of every marts table (name and type, in order), by table name. */
export type MartColumns = ReadonlyMap<
  string,
  readonly { column_name: string; data_type: string }[]
>;

/**
 * One catalog query for every report of a run: a look-up per file costs ~20 ms of CPU in
 * DuckDB's information_schema, more than the rest of deciding that the file is unchanged.
 */
export async function martColumns(wh: Warehouse): Promise<MartColumns> {
  const rows = await wh.all<{ table_name: string; column_name: string; data_type: string }>(
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = 'marts' ORDER BY table_name, ordinal_position",
  );
  const out = new Map<string, { column_name: string; data_type: string }[]>();
  for (const r of rows) {
    const cols = out.get(r.table_name) ?? [];
    cols.push({ column_name: r.column_name, data_type: r.data_type });
    out.set(r.table_name, cols);
  }
  return out;
}
