import { IANAZone } from 'luxon';
import { Cron } from 'croner';
import type { ConfigIssue } from '../../foundation/errors.ts';
import { entityFields } from '../../foundation/entities.ts';
import { didYouMean } from '../../foundation/did-you-mean.ts';
import type { ParsedConfig } from './schema.ts';
import { CONNECTOR_KINDS } from '../../connectors/registry.ts';

const PLAIN_COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A party mapping key `attributes.<name>`: a column kept for matching and lineage beyond the canonical fields. */
export const ATTRIBUTE_PREFIX = 'attributes.';
const ATTRIBUTE_KEY = /^attributes\.[a-z][a-z0-9_]{0,62}$/;

/** Source columns a mapping reads directly (values that are a bare column name, not an expression). */
export function mappedColumns(mapping: Readonly<Record<string, string>>): string[] {
  return [...new Set(Object.values(mapping).filter((v) => PLAIN_COLUMN.test(v)))];
}

/** Checks that need more than one field at a time: names unique, mappings and cursors consistent. */
export function checkSemantics(cfg: ParsedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const sourceNames = new Set<string>();
  const tableRefs = new Set<string>();
  const rawTables = new Map<string, string>();
  cfg.sources.forEach((source, si) => {
    const sp = `sources[${si}]`;
    if (sourceNames.has(source.name))
      add(`${sp}.name`, `source name "${source.name}" is used twice; names must be unique`);
    sourceNames.add(source.name);
    if (!IANAZone.isValidZone(source.timezone))
      add(
        `${sp}.timezone`,
        `unknown time zone "${source.timezone}"; expected an IANA name like "Europe/Moscow" or "UTC"`,
      );

    const tableNames = new Set<string>();
    source.tables.forEach((table, ti) => {
      const tp = `${sp}.tables[${ti}]`;
      if (tableNames.has(table.name))
        add(`${tp}.name`, `table name "${table.name}" is used twice in source "${source.name}"`);
      tableNames.add(table.name);
      tableRefs.add(`${source.name}.${table.name}`);
      const raw = `${source.name}__${table.name}`;
      const clash = rawTables.get(raw);
      if (clash !== undefined && clash !== `${source.name}.${table.name}`) {
        add(`${tp}.name`, `lands in raw.${raw}, as ${clash} does; rename the table or the source`);
      }
      rawTables.set(raw, `${source.name}.${table.name}`);
      const entity = table.entity;
      const fields = entityFields(entity);
      for (const key of Object.keys(table.mapping)) {
        if (entity === 'party' && key.startsWith(ATTRIBUTE_PREFIX)) {
          if (!ATTRIBUTE_KEY.test(key))
            add(
              `${tp}.mapping.${key}`,
              `"${key}": an attribute is named attributes.<name>, the name in lower-case letters, digits and _`,
            );
          continue;
        }
        if (!fields.includes(key)) {
          add(
            `${tp}.mapping.${key}`,
            `"${key}" is not a field of entity ${entity}${didYouMean(key, fields)} (fields: ${fields.join(', ')})`,
          );
        }
      }
      const columns = mappedColumns(table.mapping);
      const pk =
        table.primary_key === undefined
          ? []
          : Array.isArray(table.primary_key)
            ? table.primary_key
            : [table.primary_key];
      if (table.mapping.record_key === undefined && pk.length === 0) {
        add(
          `${tp}.mapping.record_key`,
          'required: map record_key to the key column, or give primary_key',
        );
      }
      pk.forEach((col, i) => {
        const at = Array.isArray(table.primary_key)
          ? `${tp}.primary_key[${i}]`
          : `${tp}.primary_key`;
        if (!columns.includes(col))
          add(at, `column "${col}" not in mapping${didYouMean(col, columns)}`);
      });
      if (table.cursor !== undefined) {
        const col = typeof table.cursor === 'string' ? table.cursor : table.cursor.column;
        const at = typeof table.cursor === 'string' ? `${tp}.cursor` : `${tp}.cursor.column`;
        if (!columns.includes(col))
          add(at, `column "${col}" not in mapping${didYouMean(col, columns)}`);
      }
      if (table.timezone !== undefined && !IANAZone.isValidZone(table.timezone)) {
        add(
          `${tp}.timezone`,
          `unknown time zone "${table.timezone}"; expected an IANA name like "Europe/Moscow"`,
        );
      }
      if (table.detect_deletes && pk.length === 0) {
        add(
          `${tp}.detect_deletes`,
          'needs primary_key: deleted rows are found by comparing key sets',
        );
      }
      const caps = CONNECTOR_KINDS.find((k) => k.kind === source.kind)?.capabilities;
      if (table.detect_deletes && caps !== undefined && !caps.detectDeletes) {
        if (!caps.snapshots)
          add(
            `${tp}.detect_deletes`,
            `${source.kind} tables cannot tell deleted rows (nothing lists every key); remove detect_deletes`,
          );
        else if (table.snapshot !== true)
          add(
            `${tp}.detect_deletes`,
            `${source.kind} files tell deleted rows only when each file is a full export of the table: set snapshot: true, or remove detect_deletes`,
          );
      }
    });
  });

  cfg.quality.checks.forEach((c, i) => {
    const at = `quality.checks[${i}]`;
    if (c.source !== undefined && !sourceNames.has(c.source))
      add(`${at}.source`, `no source named "${c.source}"${didYouMean(c.source, sourceNames)}`);
    if (
      ['not_null', 'unique', 'accepted_values'].includes(c.check) &&
      (c.table === undefined || c.column === undefined)
    ) {
      add(at, `check ${c.check} needs table and column`);
    }
    if (c.check === 'accepted_values' && (c.values === undefined || c.values.length === 0))
      add(`${at}.values`, 'accepted_values needs a list of values');
    if (c.check === 'freshness' && c.max_age === undefined)
      add(`${at}.max_age`, 'freshness needs max_age, e.g. "26h"');
  });

  const priority = cfg.profiles.source_priority;
  priority.forEach((name, i) => {
    if (!sourceNames.has(name))
      add(
        `profiles.source_priority[${i}]`,
        `no source named "${name}"${didYouMean(name, sourceNames)}`,
      );
  });

  if (cfg.schedule !== undefined) {
    try {
      new Cron(cfg.schedule.cron, { paused: true });
    } catch (err) {
      add(
        'schedule.cron',
        `not a valid cron expression (${err instanceof Error ? err.message : String(err)}); expected e.g. "0 2 * * *"`,
      );
    }
    if (!IANAZone.isValidZone(cfg.schedule.timezone))
      add('schedule.timezone', `unknown time zone "${cfg.schedule.timezone}"`);
  }
  return issues;
}
