import mysql from 'mysql2/promise';
import { SourceError } from '../../foundation/errors.ts';
import { BufferedTable, type ColumnType, type RowWriter, type TableSink, type TableSpec } from './table-spec.ts';

const MYSQL_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR(255)', int: 'BIGINT', money: 'DECIMAL(12,2)', date: 'DATE', ts: 'DATETIME', bool: 'TINYINT(1)',
};
const BATCH = 1000;

/**
 * The ERP in a real MySQL/MariaDB: tables `<prefix><system>_<table>` (dropped and recreated
 * on the first night), rows upserted with multi-row INSERT … ON DUPLICATE KEY UPDATE.
 */
export class MysqlSink implements TableSink {
  readonly storage = 'database' as const;
  private conn: mysql.Connection | undefined;
  private tables: BufferedTable[] = [];

  constructor(
    private readonly url: string,
    readonly prefix: string,
    private readonly specs: readonly TableSpec[],
  ) {}

  tableName(spec: TableSpec): string {
    return `${this.prefix}${spec.system}_${spec.name}`;
  }

  location(spec: TableSpec): string {
    return this.tableName(spec);
  }

  async create(): Promise<void> {
    try {
      this.conn = await mysql.createConnection({ uri: this.url, charset: 'utf8mb4', dateStrings: true });
    } catch (err) {
      throw new SourceError('erp', `cannot reach MySQL for the demo ERP tables (${err instanceof Error ? err.message : String(err)}); check --mysql`, { cause: err });
    }
    for (const s of this.specs) {
      const name = mysql.escapeId(this.tableName(s));
      await this.conn.query(`DROP TABLE IF EXISTS ${name}`);
      const cols = s.columns.map((c) => `${mysql.escapeId(c.name)} ${MYSQL_TYPES[c.type]}${c.name === s.key ? ' NOT NULL PRIMARY KEY' : ' NULL'}`);
      const index = s.columns.some((c) => c.name === 'updated_at') ? ', INDEX (`updated_at`)' : '';
      await this.conn.query(`CREATE TABLE ${name} (${cols.join(', ')}${index}) DEFAULT CHARSET=utf8mb4`);
    }
  }

  open(spec: TableSpec): RowWriter {
    const t = new BufferedTable(spec, (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    this.tables.push(t);
    return t;
  }

  async drain(): Promise<void> {
    for (const t of this.tables) if (t.buffer.length >= BATCH) await this.flush(t);
  }

  private async flush(t: BufferedTable): Promise<void> {
    if (!this.conn || t.buffer.length === 0) return;
    const rows = t.take();
    const cols = t.spec.columns.map((c) => mysql.escapeId(c.name));
    const sets = t.spec.columns.filter((c) => c.name !== t.spec.key).map((c) => `${mysql.escapeId(c.name)} = VALUES(${mysql.escapeId(c.name)})`);
    try {
      await this.conn.query(`INSERT INTO ${mysql.escapeId(this.tableName(t.spec))} (${cols.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${sets.join(', ')}`, [rows]);
    } catch (err) {
      throw new SourceError('erp', `loading demo rows into MySQL table ${this.tableName(t.spec)} failed`, { cause: err });
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
      await this.conn?.end();
      this.conn = undefined;
    }
  }
}
