import type { Queryable } from '../../foundation/duckdb-client.ts';
import { describeChange, type SchemaChangeKind } from './schema-contract.ts';

/** A row of `meta.schema_changes`, as `cdw status` and the HTML overview show it. */
export interface SchemaChangeRow {
  readonly run_id: string;
  readonly source: string;
  readonly source_table: string;
  readonly column_name: string;
  readonly change: SchemaChangeKind;
  readonly old_type: string | null;
  readonly new_type: string | null;
  readonly read_by: string | null;
  readonly action: string;
  readonly location: string | null;
  readonly detected_at: Date;
}

/** The schema changes a run found, per table in the order found; none for a warehouse older than them. */
export async function schemaChangesOf(wh: Queryable, runId: string): Promise<SchemaChangeRow[]> {
  if (!(await wh.tableExists('meta', 'schema_changes'))) return [];
  return wh.all<SchemaChangeRow & Record<string, unknown>>(
    `SELECT run_id, source, source_table, column_name, change, old_type, new_type, read_by, action, location, detected_at
     FROM meta.schema_changes WHERE run_id = $1 ORDER BY source, source_table, detected_at, column_name`,
    [runId],
  );
}

/** Schema changes of the last `days` days, newest first (the HTML overview). */
export async function recentSchemaChanges(wh: Queryable, days: number): Promise<SchemaChangeRow[]> {
  if (!(await wh.tableExists('meta', 'schema_changes'))) return [];
  return wh.all<SchemaChangeRow & Record<string, unknown>>(
    `SELECT run_id, source, source_table, column_name, change, old_type, new_type, read_by, action, location, detected_at
     FROM meta.schema_changes WHERE detected_at >= current_timestamp - to_days(CAST($1 AS INTEGER))
     ORDER BY detected_at DESC, source, source_table, column_name LIMIT 200`,
    [days],
  );
}

const ACTION_TEXT: Readonly<Record<string, string>> = {
  failed: 'the load failed',
  warned: 'loaded with a warning',
  evolved: 'accepted (on_schema_change: evolve)',
  recorded: 'recorded',
};

/** `billing.customers: column email removed (read by mapping.email) — the load failed`. */
export function schemaChangeLine(c: SchemaChangeRow): string {
  const text = describeChange({
    column: c.column_name,
    change: c.change,
    oldType: c.old_type,
    newType: c.new_type,
    readBy: c.read_by === null ? [] : c.read_by.split(', '),
  });
  const at = c.location === null ? '' : ` in ${c.location}`;
  return `${c.source}.${c.source_table}: ${text}${at} — ${ACTION_TEXT[c.action] ?? c.action}`;
}
