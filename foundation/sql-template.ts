import { readFileSync } from 'node:fs';
import { qualified, quoteIdent } from './sql.ts';
import { InternalError } from './errors.ts';

/**
 * What fills the `{{name}}` holes of a `.sql` template. Identifiers are quoted here
 * (`ident`: a name, or `[schema, table]`); `sql` holds fragments that code built from the
 * config (typed column lists, unions) — never row values, which go in as parameters.
 */
export interface SqlHoles {
  readonly ident?: Readonly<Record<string, string | readonly [string, string]>>;
  readonly sql?: Readonly<Record<string, string>>;
}

const HOLE = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi;

/** Reads a `.sql` file that lives beside the module at `moduleUrl`. */
export function readSql(moduleUrl: string, file: string): string {
  return readFileSync(new URL(file, moduleUrl), 'utf8');
}

/** Fills every hole; a hole without a value or a value without a hole is a bug and throws. */
export function renderSql(template: string, holes: SqlHoles): string {
  const used = new Set<string>();
  const out = template.replace(HOLE, (_m, name: string) => {
    used.add(name);
    const id = holes.ident?.[name];
    if (id !== undefined) return typeof id === 'string' ? quoteIdent(id) : qualified(id[0], id[1]);
    const frag = holes.sql?.[name];
    if (frag !== undefined) return frag;
    throw new InternalError(`SQL template hole {{${name}}} has no value`);
  });
  const given = [...Object.keys(holes.ident ?? {}), ...Object.keys(holes.sql ?? {})];
  const unused = given.filter((n) => !used.has(n));
  if (unused.length > 0)
    throw new InternalError(`SQL template has no hole for ${unused.join(', ')}`);
  return out;
}

/** Reads and fills a template in one go. */
export function sqlFromFile(moduleUrl: string, file: string, holes: SqlHoles): string {
  return renderSql(readSql(moduleUrl, file), holes);
}
