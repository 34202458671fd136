import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';

/** Every file under `dir` (relative paths, sorted), skipping what cdw itself writes there. */
export function demoFiles(
  dir: string,
  skip: readonly string[] = ['warehouse.duckdb', 'reports'],
): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${e}` : e;
      if (skip.some((s) => r === s || r.startsWith(`${s}.`) || r.startsWith(`${s}/`))) continue;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

/** One hash over the names and bytes of every file. */
export function hashDemo(dir: string): string {
  const h = createHash('sha256');
  for (const f of demoFiles(dir))
    h.update(f)
      .update('\0')
      .update(readFileSync(path.join(dir, f)))
      .update('\0');
  return h.digest('hex');
}

export type Row = Record<string, string>;

/**
 * Rows of a CSV file as objects; tolerant of the demo's deliberately broken lines, which are
 * marked with `_broken` (their field count differs from the header's).
 */
export function readCsv(
  file: string,
  opts: { delimiter?: string; encoding?: 'utf8' | 'win1251' } = {},
): Row[] {
  const buf = readFileSync(file);
  const text = opts.encoding === 'win1251' ? iconv.decode(buf, 'win1251') : buf.toString('utf8');
  const [header, ...rows] = parse(text, {
    delimiter: opts.delimiter ?? ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  return rows.map((r) => {
    const o: Row = Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']));
    if (r.length !== header!.length) o._broken = 'yes';
    return o;
  });
}

/** Items grouped by a key (Map.groupBy is Node 21+). */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = m.get(k);
    if (g) g.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Rows of every file of a nightly extract (`billing/accounts_*.csv`), in night order, tagged with their night's date. */
export function readNightly(
  dir: string,
  folder: string,
  prefix: string,
  opts: { delimiter?: string; encoding?: 'utf8' | 'win1251' } = {},
): (Row & { _date: string })[] {
  return readdirSync(path.join(dir, folder))
    .filter((f) => f.startsWith(prefix) && /\d{4}-\d{2}-\d{2}\.csv$/.test(f))
    .sort()
    .flatMap((f) =>
      readCsv(path.join(dir, folder, f), opts).map((r) => ({ ...r, _date: f.slice(-14, -4) })),
    );
}

export interface TruthRow {
  source: string;
  source_table: string;
  record_key: string;
  person_id: string;
  household_id: string;
}

export function readTruth(dir: string): TruthRow[] {
  return readCsv(path.join(dir, 'truth.csv')) as unknown as TruthRow[];
}

/** The loyalty card list (semicolons, Windows-1251). */
export function readCards(dir: string): Row[] {
  return readCsv(path.join(dir, 'pos', 'loyalty_cards.csv'), {
    delimiter: ';',
    encoding: 'win1251',
  });
}
