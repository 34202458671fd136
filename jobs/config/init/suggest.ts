import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ENTITY_NAMES, entityFields, type EntityName } from '../../../foundation/entities.ts';
import { PRESETS } from '../presets/index.ts';

interface EntityHints {
  readonly distinctive: readonly string[];
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

let hints: Readonly<Record<string, EntityHints>> | undefined;

/** Column names per canonical field (column-hints.yaml beside this file). */
function entityHints(): Readonly<Record<string, EntityHints>> {
  hints ??= (
    parse(readFileSync(new URL('./column-hints.yaml', import.meta.url), 'utf8')) as {
      entities: Record<string, EntityHints>;
    }
  ).entities;
  return hints;
}

/** "E-Mail" → "email": how hints and columns are compared. */
export const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** What cdw init proposes for one table. */
export interface TableSuggestion {
  readonly name: string;
  readonly entity: EntityName;
  /** why this entity: the distinctive fields found */
  readonly evidence: readonly string[];
  readonly mapping: Readonly<Record<string, string>>;
  readonly primaryKey: readonly string[];
  readonly cursor: string | undefined;
  readonly unmapped: readonly string[];
}

/** A column as a mapping names it: bare when it is a plain name, else quoted (a mapping is SQL). */
function columnRef(column: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(column) ? column : `"${column.replaceAll('"', '""')}"`;
}

/** Table names as cdw wants them: lowercase letters, digits and _. */
export function tableName(raw: string): string {
  const base = raw.split('.').pop() ?? raw;
  const n = base
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(n) ? n.slice(0, 63) : `t_${n}`.slice(0, 63);
}

function fieldFor(columns: readonly string[], names: readonly string[]): string | undefined {
  const wanted = new Set(names.map(squash));
  return columns.find((c) => wanted.has(squash(c)));
}

/**
 * Guesses entity, mapping, key and cursor of a table from its column names (and its name,
 * when the columns do not tell). Weblogs are not guessed here: their columns are the log format.
 */
export function suggestTable(
  raw: string,
  columns: readonly string[],
  primaryKey: readonly string[],
): TableSuggestion {
  const h = entityHints();
  const scored = ENTITY_NAMES.filter((e) => h[e] !== undefined).map((entity) => {
    const eh = h[entity]!;
    const found = eh.distinctive.filter((f) => fieldFor(columns, eh.fields[f] ?? []) !== undefined);
    return { entity, found };
  });
  scored.sort((a, b) => b.found.length - a.found.length);
  const best = scored[0]!;
  const entity: EntityName = best.found.length > 0 ? best.entity : 'party';
  const eh = h[entity]!;
  const fields = entityFields(entity);
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  const key =
    primaryKey.length === 1
      ? primaryKey[0]!
      : (columns.find((c) => squash(c) === 'id') ??
        columns.find((c) => squash(c) === `${squash(tableName(raw))}id`) ??
        columns.find((c) => /(^|_)(id|key|no|number)$/i.test(c)) ??
        columns[0]);
  if (key !== undefined && primaryKey.length <= 1) {
    mapping.record_key = columnRef(key);
    used.add(key);
  }
  for (const field of fields) {
    if (field === 'record_key') continue;
    const col = fieldFor(
      columns.filter((c) => !used.has(c)),
      eh.fields[field] ?? [],
    );
    if (col !== undefined) {
      mapping[field] = columnRef(col);
      used.add(col);
    }
  }
  if (primaryKey.length > 1 && mapping.record_key === undefined)
    mapping.record_key = `concat_ws('|', ${primaryKey.map(columnRef).join(', ')})`;
  const unquote = (ref: string | undefined) =>
    ref?.startsWith('"') ? ref.slice(1, -1).replaceAll('""', '"') : ref;
  // the cursor is a column name, not an expression
  const cursor = unquote(
    mapping.updated_at ?? (entity === 'party' ? undefined : mapping.occurred_at),
  );
  return {
    name: tableName(raw),
    entity,
    evidence: best.found,
    mapping,
    primaryKey,
    cursor,
    unmapped: columns.filter((c) => !used.has(c) && !primaryKey.includes(c)),
  };
}

/**
 * The preset whose tables these look like (names and most of the mapped columns), if one does:
 * the user may prefer `preset: NAME` over the tables written out.
 */
export function suggestPreset(
  kind: string,
  tables: readonly { name: string; columns: readonly string[] }[],
): { preset: string; matched: string[] } | undefined {
  let best: { preset: string; matched: string[] } | undefined;
  for (const p of PRESETS) {
    const matched: string[] = [];
    for (const pt of p.tables[kind] ?? []) {
      const t = tables.find((x) => tableName(x.name).endsWith(pt.name));
      if (!t) continue;
      const cols = new Set(t.columns.map(squash));
      const wanted = Object.values(pt.mapping).filter((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v));
      const have = wanted.filter((v) => cols.has(squash(v))).length;
      if (wanted.length > 0 && have / wanted.length >= 0.8) matched.push(pt.name);
    }
    if (matched.length > 0 && (best === undefined || matched.length > best.matched.length))
      best = { preset: p.name, matched };
  }
  return best;
}
