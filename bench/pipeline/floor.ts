import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { CdwConfig, ResolvedTable } from '../../foundation/config-types.ts';
import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import { fileRoot, listTableFiles, tablePattern } from '../../connectors/core/files/file-source.ts';

/** CPU and wall seconds of one part of the floor. */
export interface FloorPart {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly rows: number;
}

/** Canonical party fields the stand-in standardises (those a table maps). */
const TEXT_FIELDS = ['first_name', 'last_name', 'full_name', 'middle_name', 'city'] as const;
const PHONE_FIELDS = ['phone', 'mobile'] as const;

/**
 * The floor of a night in the same run: DuckDB alone reading every configured input file into
 * a table (CSV: `read_csv` all VARCHAR; JSON lines: `read_json`; access logs: their lines, one
 * column — DuckDB cannot split them), then a SQL-only stand-in for staging the party tables:
 * the latest version per record key, e-mail lowered and trimmed, phone digits, name and city
 * keys (accents stripped, lowered), address and postcode squeezed. Nothing here is what cdw
 * does (no transliteration, no libphonenumber, no rejections): it is what the same rows cost
 * when every step is one plain SQL pass. CPU is this process's (DuckDB's threads included).
 */
export async function measureFloor(
  config: CdwConfig,
  dbFile: string,
): Promise<{ load: FloorPart; standardise: FloorPart }> {
  const db = await DuckDBInstance.create(dbFile, {
    ...(config.warehouse.memoryLimit === undefined
      ? {}
      : { memory_limit: config.warehouse.memoryLimit }),
  });
  const conn = await db.connect();
  try {
    const tables: { name: string; table: ResolvedTable }[] = [];
    const load = await measured(async () => {
      let rows = 0;
      for (const source of config.sources) {
        const root = fileRoot(source, config.baseDir);
        for (const table of source.tables) {
          if (typeof table.options.path !== 'string') continue; // a database table: not a file
          const files = await listTableFiles(source, table.name, root, tablePattern(table.options));
          if (files.length === 0) continue;
          const name = `${source.name}__${table.name}`;
          const list = `[${files.map((f) => quoteLiteral(f.file)).join(', ')}]`;
          const read =
            source.kind === 'jsonl'
              ? `read_json(${list}, format = 'newline_delimited', union_by_name = true, ignore_errors = true)`
              : source.kind === 'weblog'
                ? `read_csv(${list}, header = false, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', auto_detect = false)`
                : `read_csv(${list}, ${csvOptions(table.options)})`;
          await conn.run(`CREATE TABLE ${quoteIdent(name)} AS SELECT * FROM ${read}`);
          rows += await count(conn, name);
          tables.push({ name, table });
        }
      }
      return rows;
    });
    const standardise = await measured(async () => {
      let rows = 0;
      for (const { name, table } of tables) {
        if (table.entity !== 'party' || table.mapping.record_key === undefined) continue;
        const m = table.mapping;
        const expr = (field: string) => `CAST((${m[field]}) AS VARCHAR)`;
        const parts = [`${expr('record_key')} AS rk`];
        if (m.email !== undefined) {
          parts.push(`lower(trim(${expr('email')})) AS email_norm`);
          parts.push(
            `regexp_full_match(lower(trim(${expr('email')})), '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}') AS email_valid`,
          );
        }
        for (const f of PHONE_FIELDS)
          if (m[f] !== undefined)
            parts.push(`nullif(regexp_replace(${expr(f)}, '[^0-9]', '', 'g'), '') AS ${f}_digits`);
        for (const f of TEXT_FIELDS)
          if (m[f] !== undefined)
            parts.push(`nullif(lower(strip_accents(trim(${expr(f)}))), '') AS ${f}_key`);
        if (m.address !== undefined)
          parts.push(
            `upper(regexp_replace(trim(${expr('address')}), '\\s+', ' ', 'g')) AS address_line`,
          );
        if (m.postcode !== undefined)
          parts.push(`upper(replace(${expr('postcode')}, ' ', '')) AS postcode_norm`);
        const order = m.updated_at === undefined ? 'NULL' : expr('updated_at');
        const std = quoteIdent(`${name}__std`);
        await conn.run(
          `CREATE TABLE ${std} AS SELECT ${parts.join(', ')} FROM ${quoteIdent(name)}
           QUALIFY row_number() OVER (PARTITION BY ${expr('record_key')} ORDER BY ${order} DESC NULLS LAST) = 1`,
        );
        rows += await count(conn, `${name}__std`);
      }
      return rows;
    });
    return { load, standardise };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/**
 * The table's own delimiter, quote, header and skipped lines; a file that is not UTF-8 is read
 * as Latin-1 (DuckDB has no Windows-1251 without an extension; the bytes cost the same).
 */
function csvOptions(o: Readonly<Record<string, unknown>>): string {
  // The demo's deliberately broken rows must not stop the floor: it only reads.
  const opts = [
    'all_varchar = true',
    'union_by_name = true',
    'ignore_errors = true',
    'strict_mode = false',
    'null_padding = true',
  ];
  const quote = typeof o.quote === 'string' ? o.quote : '"';
  opts.push(`delim = ${quoteLiteral(typeof o.delimiter === 'string' ? o.delimiter : ',')}`);
  opts.push(`quote = ${quoteLiteral(quote)}`, `escape = ${quoteLiteral(quote)}`);
  opts.push(`header = ${o.header !== false}`);
  // An explicit `skip = 0` makes DuckDB 1.5's sniffer fail on a file it reads without it.
  if (typeof o.skip_lines === 'number' && o.skip_lines > 0) opts.push(`skip = ${o.skip_lines}`);
  if (typeof o.encoding === 'string' && !/^utf-?8$/i.test(o.encoding))
    opts.push(`encoding = 'latin-1'`);
  return opts.join(', ');
}

async function count(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(table)}`);
  return Number(r.getRows()[0]?.[0] ?? 0);
}

async function measured(fn: () => Promise<number>): Promise<FloorPart> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await fn();
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    wallSeconds: round((performance.now() - t0) / 1000),
    rows,
  };
}

export function round(x: number): number {
  return Number(x.toFixed(2));
}

/** Where the floor's database goes: beside the demo, removed with it. */
export function floorFile(dir: string): string {
  return path.join(dir, 'floor.duckdb');
}
