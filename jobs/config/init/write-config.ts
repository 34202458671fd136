import { stringify } from 'yaml';
import type { FoundSource, FoundTable } from './discover.ts';
import { suggestPreset, suggestTable, tableName } from './suggest.ts';

/** A YAML scalar as it would be written in a flow or block value. */
const y = (v: unknown) => stringify(v, { lineWidth: 0 }).trimEnd();

/** The environment variable that holds a source's URL when it has a password. */
export const urlVariable = (source: string) => `${source.toUpperCase()}_URL`;

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

function tableLines(s: FoundSource, t: FoundTable): string[] {
  const template = s.kind.discovery?.tableTemplate;
  if (template !== undefined) {
    const entry = { name: tableName(t.name), path: t.path, ...template };
    return [
      `      # ${t.path}: ${s.kind.kind} in the ${String(template.format)} format; if yours differs, set format: pattern and pattern: (README)`,
      ...y([entry])
        .split('\n')
        .map((l) => `      ${l}`),
    ];
  }
  const g = suggestTable(t.name, t.columns, t.primaryKey);
  const why =
    g.evidence.length > 0
      ? `${g.entity} (has ${g.evidence.join(', ')})`
      : `${g.entity}? (no telling column: check the entity)`;
  const out = [`      # ${t.table ?? t.path} → ${why}`];
  if (g.unmapped.length > 0)
    out.push(
      `      # not mapped: ${g.unmapped.slice(0, 12).join(', ')}${g.unmapped.length > 12 ? ', …' : ''}`,
    );
  out.push(`      - name: ${g.name}`, `        entity: ${g.entity}`);
  if (t.table !== undefined) out.push(`        table: ${y(t.table)}`);
  if (t.path !== undefined) out.push(`        path: ${y(t.path)}`);
  if (g.primaryKey.length === 1) out.push(`        primary_key: ${y(g.primaryKey[0])}`);
  else if (g.primaryKey.length > 1)
    out.push(`        primary_key: ${y(g.primaryKey).replace(/\n/g, ' ')}`);
  if (g.cursor !== undefined && s.kind.capabilities.incremental && !s.kind.capabilities.files)
    out.push(`        cursor: ${y(g.cursor)}   # incremental: rows changed since the last run`);
  out.push('        mapping:            # canonical field: source column or SQL expression');
  for (const [field, col] of Object.entries(g.mapping)) out.push(`          ${field}: ${y(col)}`);
  return out;
}

function sourceLines(s: FoundSource): string[] {
  const preset = suggestPreset(s.kind.kind, s.tables);
  const head = [
    `  # ${s.name}: ${s.kind.kind}, ${s.tables.length} table${s.tables.length === 1 ? '' : 's'}` +
      (preset
        ? `. The tables look like preset "${preset.preset}" (${preset.matched.join(', ')}): "preset: ${preset.preset}" could replace the ones below.`
        : ''),
    `  - name: ${s.name}`,
    `    system: ${s.name}       # department label shown in reports (billing, erp, pos, web, contact_centre, …)`,
    `    kind: ${s.kind.kind}`,
  ];
  if (s.url !== undefined) {
    head.push('    connection:');
    head.push(
      hasPassword(s.url)
        ? `      url: \${${urlVariable(s.name)}}   # the URL holds a password: set ${urlVariable(s.name)} in the environment`
        : `      url: ${y(s.url)}`,
    );
  } else head.push('    connection:', `      dir: ${y(s.dir)}`);
  head.push(
    '    timezone: UTC          # zone of timestamps written without an offset in this source',
    '    default_country: US    # country of phone numbers written without +code (ISO code)',
    '    tables:',
  );
  return [...head, ...s.tables.flatMap((t) => tableLines(s, t))];
}

/**
 * A commented cdw.yaml for the sources found: every table with a guessed entity, key, cursor
 * and mapping, the columns left unmapped, the preset they resemble. `cdw check` accepts it.
 */
export function initConfigText(sources: readonly FoundSource[], now = new Date()): string {
  return [
    `# cdw.yaml written by "cdw init" on ${now.toISOString().slice(0, 10)} for ${sources.map((s) => `${s.name} (${s.kind.kind})`).join(', ')}.`,
    '# Entities, keys and mappings are guesses from column names: read every table, then run',
    '# "cdw check" (validates and tries every source) and "cdw run". Reference: README, "Configuration".',
    'version: 1',
    'warehouse:',
    '  path: warehouse.duckdb   # the DuckDB file, relative to this file',
    'sources:',
    ...sources.flatMap(sourceLines),
    'reports:',
    '  dir: reports',
    "  segments: []            # e.g. - { name: high_value, where: \"value_tier IN ('top', 'high')\" }",
    '',
  ].join('\n');
}
