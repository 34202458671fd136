import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { qualified, quoteIdent } from '../../foundation/sql.ts';
import { SourceError } from '../../foundation/errors.ts';
import { BufferedTable, type Cell, type ColumnType, type RowWriter, type TableSink, type TableSpec } from './table-spec.ts';

const PG_TYPES: Record<ColumnType, string> = { text: 'text', int: 'bigint', money: 'numeric(12,2)', date: 'date', ts: 'timestamp', bool: 'boolean' };
const BATCH = 5000;

function copyText(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Billing in a real PostgreSQL: tables in a dedicated schema (dropped and recreated on the
 * first night), rows loaded with COPY into a temporary table and upserted by key, so later
 * nights update rows in place with a newer `updated_at`, as the real system would.
 */
export class PostgresSink implements TableSink {
  readonly storage = 'database' as const;
  private client: pg.Client | undefined;
  private tables: BufferedTable[] = [];

  constructor(
    private readonly url: string,
    readonly schema: string,
    private readonly specs: readonly TableSpec[],
  ) {}

  location(spec: TableSpec): string {
    return `${this.schema}.${spec.name}`;
  }

  /** Connects and recreates the schema with empty tables. */
  async create(): Promise<void> {
    const c = new pg.Client({ connectionString: this.url });
    try {
      await c.connect();
    } catch (err) {
      throw new SourceError('billing', `cannot reach PostgreSQL for the demo billing tables (${err instanceof Error ? err.message : String(err)}); check --pg`, { cause: err });
    }
    this.client = c;
    await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
    await c.query(`CREATE SCHEMA ${quoteIdent(this.schema)}`);
    for (const s of this.specs) {
      const cols = s.columns.map((col) => `${quoteIdent(col.name)} ${PG_TYPES[col.type]}${col.name === s.key ? ' PRIMARY KEY' : ''}`);
      await c.query(`CREATE TABLE ${qualified(this.schema, s.name)} (${cols.join(', ')})`);
      if (s.columns.some((col) => col.name === 'updated_at')) {
        await c.query(`CREATE INDEX ${quoteIdent(`${s.name}_updated_at`)} ON ${qualified(this.schema, s.name)} (updated_at)`);
      }
    }
  }

  open(spec: TableSpec): RowWriter {
    const t = new BufferedTable(spec);
    this.tables.push(t);
    return t;
  }

  async drain(): Promise<void> {
    for (const t of this.tables) if (t.buffer.length >= BATCH) await this.flush(t);
  }

  private async flush(t: BufferedTable): Promise<void> {
    const c = this.client;
    if (!c || t.buffer.length === 0) return;
    const rows = t.take();
    const target = qualified(this.schema, t.spec.name);
    const cols = t.spec.columns.map((col) => quoteIdent(col.name));
    const sets = t.spec.columns.filter((col) => col.name !== t.spec.key).map((col) => `${quoteIdent(col.name)} = EXCLUDED.${quoteIdent(col.name)}`);
    await c.query('BEGIN');
    try {
      await c.query(`CREATE TEMP TABLE cdw_demo_stage (LIKE ${target}) ON COMMIT DROP`);
      const text = rows.map((r) => r.map(copyText).join('\t')).join('\n') + '\n';
      await pipeline(Readable.from([text]), c.query(copyFrom(`COPY cdw_demo_stage (${cols.join(', ')}) FROM STDIN`)));
      await c.query(
        `INSERT INTO ${target} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM cdw_demo_stage ON CONFLICT (${quoteIdent(t.spec.key)}) DO UPDATE SET ${sets.join(', ')}`,
      );
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK');
      throw new SourceError('billing', `loading demo rows into PostgreSQL table ${this.schema}.${t.spec.name} failed`, { cause: err });
    }
  }

  async endNight(): Promise<void> {
    for (const t of this.tables) await this.flush(t);
    this.tables = [];
  }

  async close(): Promise<void> {
    try {
      await this.endNight();
    } finally {
      await this.client?.end();
      this.client = undefined;
    }
  }
}
