import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { CsvBatch, Rejection } from './batch.ts';
import { escapeInvalidUtf8 } from './utf8.ts';

/** Which load a rejected row belongs to. */
export interface RejectTarget {
  readonly runId: string;
  readonly loadId: string;
  readonly source: string;
  readonly table: string;
}

const INSERT_COLUMNS = '(run_id, load_id, source, source_table, reason, raw, stage, location)';
const MAX_ENCODING_FIXUPS = 10_000;

/** Stores rows a connector rejected itself (broken log lines, invalid JSON). */
export async function storeRejections(
  conn: DuckDBConnection,
  t: RejectTarget,
  rejects: readonly Rejection[],
): Promise<void> {
  const per = 200;
  for (let i = 0; i < rejects.length; i += per) {
    const part = rejects.slice(i, i + per);
    const values = part
      .map((_, j) => `($1, $2, $3, $4, $${5 + j * 3}, $${6 + j * 3}, 'extract', $${7 + j * 3})`)
      .join(', ');
    const params = [
      t.runId,
      t.loadId,
      t.source,
      t.table,
      ...part.flatMap((r) => [r.reason, r.raw, r.location]),
    ];
    await conn.run(`INSERT INTO meta.rejected_rows ${INSERT_COLUMNS} VALUES ${values}`, params);
  }
}

/**
 * Moves what DuckDB's `read_csv(store_rejects = true)` set aside into `meta.rejected_rows`:
 * one row per bad record (DuckDB reports one error per bad field), with a reason built from
 * the error kind and column — never DuckDB's message, which quotes the value.
 * Returns how many records were rejected.
 */
export async function moveCsvRejects(
  conn: DuckDBConnection,
  t: RejectTarget,
  rejectsTable: string,
  batch: CsvBatch,
): Promise<number> {
  const tbl = quoteIdent(rejectsTable);
  const counted = await readRows<{ n: number }>(
    conn,
    `SELECT count(DISTINCT line) AS n FROM temp.${tbl}`,
  );
  const n = Number(counted[0]?.n ?? 0);
  if (n === 0) return 0;
  const typeOf = batch.columns.filter((c) => c.type !== 'VARCHAR');
  const typeCase =
    typeOf.length === 0
      ? `'value'`
      : `CASE column_name ${typeOf.map((c) => `WHEN ${quoteLiteral(c.name)} THEN ${quoteLiteral(c.type)}`).join(' ')} ELSE 'value' END`;
  const expected = batch.columns.length;
  const reason = `CASE error_type
      WHEN 'CAST' THEN 'column ' || column_name || ': not a valid ' || ${typeCase}
      WHEN 'TOO MANY COLUMNS' THEN 'too many columns (expected ${expected})'
      WHEN 'MISSING COLUMNS' THEN 'too few columns (expected ${expected})'
      WHEN 'UNQUOTED VALUE' THEN 'unterminated or stray quote'
      WHEN 'INVALID ENCODING' THEN 'invalid UTF-8 byte sequence (set encoding: if the file is not UTF-8)'
      WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line longer than 2 MB'
      ELSE lower(error_type) END`;
  await conn.run(
    `INSERT INTO meta.rejected_rows ${INSERT_COLUMNS}
     SELECT $1, $2, $3, $4, reason, raw, 'extract', $5 || ':' || (line + $6)::VARCHAR
     FROM (SELECT line, string_agg(DISTINCT ${reason}, '; ') AS reason, trim(any_value(csv_line), chr(13) || chr(10)) AS raw
           FROM temp.${tbl} GROUP BY line)`,
    [t.runId, t.loadId, t.source, t.table, batch.locate.label, batch.locate.lineOffset],
  );
  if (batch.bytesOf !== undefined) await quoteOriginalBytes(conn, t, tbl, batch, batch.bytesOf);
  return n;
}

/**
 * DuckDB shows invalid bytes as '?'. For those lines the original bytes are read back from the
 * file and stored with the invalid ones as `\xNN`, so the rejected row shows what was there.
 */
async function quoteOriginalBytes(
  conn: DuckDBConnection,
  t: RejectTarget,
  tbl: string,
  batch: CsvBatch,
  file: string,
): Promise<void> {
  const rows = await readRows<{ line: number; pos: number }>(
    conn,
    `SELECT line, min(line_byte_position) AS pos FROM temp.${tbl} WHERE error_type = 'INVALID ENCODING' GROUP BY line ORDER BY line LIMIT ${MAX_ENCODING_FIXUPS}`,
  );
  if (rows.length === 0) return;
  const fh = await open(file, 'r');
  try {
    for (const r of rows) {
      // line_byte_position counts from 1.
      const start = Number(r.pos) - 1;
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, Math.max(0, start - 1));
      const window = buf.subarray(0, bytesRead);
      if (start > 0 && window[0] !== 0x0a) continue; // not at a line start: keep DuckDB's text
      const body = start > 0 ? window.subarray(1) : window;
      const end = body.indexOf(0x0a);
      const line = body.subarray(0, end < 0 ? body.length : end);
      await conn.run(
        `UPDATE meta.rejected_rows SET raw = $1 WHERE load_id = $2 AND source = $3 AND source_table = $4 AND location = $5`,
        [
          escapeInvalidUtf8(line).replace(/\r$/, ''),
          t.loadId,
          t.source,
          t.table,
          `${batch.locate.label}:${Number(r.line) + batch.locate.lineOffset}`,
        ],
      );
    }
  } finally {
    await fh.close();
  }
}
