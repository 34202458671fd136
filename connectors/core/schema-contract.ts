import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedTable, SchemaPolicy } from '../../foundation/config-types.ts';
import { readRows } from '../../foundation/duckdb-client.ts';
import type { Logger } from '../../foundation/logger.ts';
import { ConnectorError } from '../errors.ts';
import type { SchemaBatch } from './batch.ts';
import { mappedColumns, type MappedColumn } from './mapped-columns.ts';
import type { RejectTarget } from './rejects.ts';

export type SchemaChangeKind = 'added' | 'removed' | 'retyped' | 'missing';
export type SchemaAction = 'failed' | 'warned' | 'evolved' | 'recorded';

/** One change of a source table's columns, as `meta.schema_changes` holds it. */
export interface SchemaChange {
  readonly column: string;
  readonly change: SchemaChangeKind;
  readonly oldType: string | null;
  readonly newType: string | null;
  /** The config keys that read the column (empty: nothing reads it). */
  readonly readBy: readonly string[];
  readonly action: SchemaAction;
  readonly location: string | null;
}

/** A load stopped by the schema contract; its changes are recorded although nothing landed. */
export class SchemaChangedError extends ConnectorError {
  constructor(
    message: string,
    readonly changes: readonly SchemaChange[],
  ) {
    super('schema_changed', message);
  }
}

interface Known {
  readonly name: string;
  readonly type: string | null;
  readonly firstLoad: string | null;
}

const LISTED = 25;

/**
 * The schema contract of one table load (`on_schema_change`). The columns the source has now
 * (each `SchemaBatch`) are compared with those of the last committed load: a column the config
 * reads (mapping, primary key, cursor) that is gone, never existed or changed type fails the
 * load under `fail` (the default) — before anything lands — is let through with a warning under
 * `warn`, and quietly under `evolve`. New columns, and changes to columns nothing reads, are
 * recorded. Changes and the new baseline (`meta.source_columns`) commit with the load.
 */
export class SchemaContract {
  readonly changes: SchemaChange[] = [];
  readonly warnings: string[] = [];
  private seen = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly target: RejectTarget,
    private readonly policy: SchemaPolicy,
    private readonly mapped: readonly MappedColumn[],
    /** The columns as they stand: the last committed load's, then each checked batch's. */
    private columns: Map<string, Known> | undefined,
    private readonly logger: Logger,
  ) {}

  static async open(
    conn: DuckDBConnection,
    target: RejectTarget,
    table: ResolvedTable,
    logger: Logger,
  ): Promise<SchemaContract> {
    const rows = await readRows<{
      column_name: string;
      source_type: string | null;
      first_load_id: string | null;
    }>(
      conn,
      'SELECT column_name, source_type, first_load_id FROM meta.source_columns WHERE source = $1 AND source_table = $2 ORDER BY position',
      [target.source, target.table],
    );
    const baseline =
      rows.length === 0
        ? undefined
        : new Map(
            rows.map((r) => [
              r.column_name.toLowerCase(),
              { name: r.column_name, type: r.source_type, firstLoad: r.first_load_id },
            ]),
          );
    return new SchemaContract(
      conn,
      target,
      table.onSchemaChange,
      await mappedColumns(conn, table),
      baseline,
      logger,
    );
  }

  /** Checks the columns a source shows now; throws `SchemaChangedError` when the policy says fail. */
  check(batch: SchemaBatch): void {
    this.seen = true;
    const before = this.columns;
    const now = new Map<string, Known>();
    for (const c of batch.columns) {
      const k = c.name.toLowerCase();
      now.set(k, { name: c.name, type: c.type, firstLoad: before?.get(k)?.firstLoad ?? null });
    }
    const location = batch.location ?? null;
    const readBy = (name: string) =>
      this.mapped.find((m) => m.name.toLowerCase() === name.toLowerCase())?.keys ?? [];
    const found: Omit<SchemaChange, 'action'>[] = [];
    const change = (
      column: string,
      kind: SchemaChangeKind,
      oldType: string | null,
      newType: string | null,
    ) => found.push({ column, change: kind, oldType, newType, readBy: readBy(column), location });

    if (before !== undefined) {
      for (const [k, c] of now) {
        const old = before.get(k);
        if (old === undefined) change(c.name, 'added', null, c.type);
        else if (
          old.type !== null &&
          c.type !== null &&
          old.type.toLowerCase() !== c.type.toLowerCase()
        )
          change(c.name, 'retyped', old.type, c.type);
      }
      if (batch.complete)
        for (const [k, c] of before) if (!now.has(k)) change(c.name, 'removed', c.type, null);
    }
    if (batch.complete) {
      for (const m of this.mapped) {
        const k = m.name.toLowerCase();
        if (!now.has(k) && before?.has(k) !== true) change(m.name, 'missing', null, null);
      }
    }
    // Columns only add up when the batch does not show them all (keys of JSON lines).
    if (!batch.complete && before !== undefined)
      for (const [k, c] of before) if (!now.has(k)) now.set(k, c);
    this.columns = now;

    const breaking = found.filter((c) => c.readBy.length > 0 && c.change !== 'added');
    const action: SchemaAction =
      this.policy === 'fail' ? 'failed' : this.policy === 'warn' ? 'warned' : 'evolved';
    const decided = found.map((c) => ({
      ...c,
      action: breaking.includes(c) ? action : ('recorded' as const),
    }));
    if (breaking.length > 0 && this.policy === 'fail')
      throw new SchemaChangedError(this.failMessage(breaking, batch), decided);
    // A column still missing night after night is reported once; a warning says so each night.
    const known = decided.filter((c) => !(c.change === 'missing' && before !== undefined));
    if (this.policy === 'warn')
      for (const c of decided)
        if (!known.includes(c))
          this.warnings.push(
            `${c.readBy.join(', ')} reads column ${c.column}, which the source does not have; the field stays empty`,
          );
    this.changes.push(...known);
    for (const c of known) {
      const text = `${this.where()}: ${describeChange(c)}`;
      if (c.action === 'warned') this.warnings.push(describeChange(c));
      else this.logger.info(text);
    }
  }

  /** Stores the columns the load ended with and the changes it found; inside the load's transaction. */
  async save(): Promise<void> {
    if (!this.seen || this.columns === undefined) return;
    const t = this.target;
    await this.conn.run('DELETE FROM meta.source_columns WHERE source = $1 AND source_table = $2', [
      t.source,
      t.table,
    ]);
    let position = 0;
    for (const c of this.columns.values()) {
      await this.conn.run(
        'INSERT INTO meta.source_columns (source, source_table, column_name, source_type, position, first_load_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [t.source, t.table, c.name, c.type, position++, c.firstLoad ?? t.loadId],
      );
    }
    await recordSchemaChanges(this.conn, t, this.changes);
  }

  private where(): string {
    return `source ${this.target.source} table ${this.target.table}`;
  }

  private failMessage(
    breaking: readonly Omit<SchemaChange, 'action'>[],
    batch: SchemaBatch,
  ): string {
    const names = batch.columns.map((c) => c.name);
    const has = `${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? `, … (${names.length} in all)` : ''}`;
    const at = batch.location === undefined ? '' : ` in ${batch.location}`;
    const parts = breaking.map((c) => {
      const reads = c.readBy.join(', ');
      switch (c.change) {
        case 'removed':
          return `column ${c.column} is gone from the source${at} (${reads} reads it); map the field to the column that replaced it, or set on_schema_change: warn on the table to load without it`;
        case 'missing':
          return `${reads} reads column ${c.column}, which the source does not have${at}; fix the name in cdw.yaml, or set on_schema_change: warn on the table to load without it`;
        default:
          return `column ${c.column} changed type from ${c.oldType ?? '?'} to ${c.newType ?? '?'} in the source (${reads} reads it); check the source, or set on_schema_change: evolve on the table to accept the new type`;
      }
    });
    return `${this.where()}: ${parts.join('; ')} (the source now has ${has}); nothing of this load landed`;
  }
}

/** `column email removed (read by mapping.email)` — one line of the report. */
export function describeChange(
  c: Pick<SchemaChange, 'column' | 'change' | 'oldType' | 'newType' | 'readBy'>,
): string {
  const what =
    c.change === 'retyped'
      ? `changed type from ${c.oldType ?? '?'} to ${c.newType ?? '?'}`
      : c.change === 'missing'
        ? 'is not in the source'
        : c.change;
  const reads = c.readBy.length > 0 ? ` (read by ${c.readBy.join(', ')})` : '';
  return `column ${c.column} ${what}${reads}`;
}

/** Adds changes to `meta.schema_changes` (in the load's transaction, or after a failed one). */
export async function recordSchemaChanges(
  conn: DuckDBConnection,
  t: RejectTarget,
  changes: readonly SchemaChange[],
): Promise<void> {
  for (const c of changes) {
    await conn.run(
      `INSERT INTO meta.schema_changes (run_id, load_id, source, source_table, column_name, change, old_type, new_type, mapped, read_by, action, location)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        t.runId,
        t.loadId,
        t.source,
        t.table,
        c.column,
        c.change,
        c.oldType,
        c.newType,
        c.readBy.length > 0,
        c.readBy.length > 0 ? c.readBy.join(', ') : null,
        c.action,
        c.location,
      ],
    );
  }
}
