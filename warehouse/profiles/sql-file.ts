import { readFileSync } from 'node:fs';

const HOLE = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/**
 * Reads `warehouse/profiles/sql/<name>.sql`. `{{hole}}`s are filled with SQL fragments that code
 * built from the attribute list (column lists, hash expressions) — never with row values, which
 * go in as parameters or through the `profiles_ctx` temp table.
 */
export function profilesSql(name: string, holes: Readonly<Record<string, string>> = {}): string {
  const text = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
  const used = new Set<string>();
  const out = text.replace(HOLE, (_m, hole: string) => {
    const v = holes[hole];
    if (v === undefined) throw new Error(`profiles SQL ${name}: hole {{${hole}}} has no value`);
    used.add(hole);
    return v;
  });
  const unused = Object.keys(holes).filter((h) => !used.has(h));
  if (unused.length > 0) throw new Error(`profiles SQL ${name}: no hole for ${unused.join(', ')}`);
  return out;
}
