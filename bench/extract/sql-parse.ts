import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../foundation/sql.ts';
import { LINES_AS_ONE_COLUMN } from './raw-rates.ts';

/**
 * An nginx-style template (`$a [$b] "$c"`) as an RE2 pattern with one group per field, split as
 * cdw's template scan splits it: a field runs to the next literal character, a field in quotes
 * to the first quote not escaped by a backslash. For the bench only (measuring the SQL path).
 */
export function templateRegex(pattern: string): { regex: string; fields: string[] } {
  const fields: string[] = [];
  let regex = '^';
  const token = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let at = 0;
  for (let m = token.exec(pattern); m !== null; m = token.exec(pattern)) {
    regex += escapeRe(pattern.slice(at, m.index));
    const next = pattern[m.index + m[0].length];
    const quoted = pattern[m.index - 1] === '"' && next === '"';
    regex += quoted
      ? '((?:[^"\\\\]|\\\\.)*)'
      : next === undefined
        ? '(.*)'
        : `([^\\x{${next.charCodeAt(0).toString(16)}}]*)`;
    fields.push(m[1]!);
    at = m.index + m[0].length;
  }
  return { regex: `${regex}${escapeRe(pattern.slice(at))}$`, fields };
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);
}

/**
 * CPU and wall seconds DuckDB takes to land the lines of a log split into its fields by SQL
 * (`regexp_extract` with the template's groups, one column per field): what parsing web logs in
 * DuckDB SQL would cost, before any time parsing, cookie or request splitting.
 */
export async function duckdbRegexParse(
  file: string,
  dbFile: string,
  memoryLimit: string,
  pattern: string,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const { regex, fields } = templateRegex(pattern);
  const db = await DuckDBInstance.create(dbFile, { memory_limit: memoryLimit });
  const c = await db.connect();
  try {
    const names = `[${fields.map((f) => quoteLiteral(f)).join(', ')}]`;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.run(
      `CREATE TABLE t AS SELECT unnest(regexp_extract(line, ${quoteLiteral(regex)}, ${names})) FROM read_csv(${quoteLiteral(file)}, ${LINES_AS_ONE_COLUMN})`,
    );
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
