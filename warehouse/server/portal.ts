import {
  ResultReturnType,
  StatementType,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { msg, type FieldDescription } from './wire/backend-messages.ts';
import { DataRowBuffer, writeChunkRows } from './chunk-rows.ts';
import { binaryEncoder, textEncoder, type Encoder } from './encode-values.ts';
import { pgColumnType, vectorColumnOid } from './pg-types.ts';
import { PgError } from './pg-error.ts';
import type { BoundParam } from './decode-params.ts';

/** Where a portal writes its DataRows; resolves when the socket can take more. */
export type RowSink = (packed: Buffer) => Promise<void>;

const FLUSH_BYTES = 256 * 1024;

/** RowDescription fields for DuckDB result columns in the requested formats. */
export function describeColumns(
  names: readonly string[],
  types: readonly DuckDBType[],
  formats: readonly number[],
): FieldDescription[] {
  return names.map((name, i) => {
    const vector = vectorColumnOid(name, types[i]!);
    const t = vector ? { oid: vector, size: -1, modifier: -1 } : pgColumnType(types[i]!);
    const format =
      formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
    return {
      name,
      tableOid: 0,
      columnAttr: 0,
      typeOid: t.oid,
      typeSize: t.size,
      typeModifier: t.modifier,
      format,
    };
  });
}

/** Whether column i may be written from DuckDB's vector directly (text, not an int2/oidvector). */
function fastText(fields: readonly FieldDescription[]): boolean[] {
  return fields.map((f) => f.format !== 1 && f.typeOid !== 22 && f.typeOid !== 30);
}

function encodersFor(types: readonly DuckDBType[], fields: readonly FieldDescription[]): Encoder[] {
  return types.map((t, i) => {
    const oid = fields[i]?.typeOid;
    if ((oid === 22 || oid === 30) && fields[i]?.format !== 1)
      return (v) => (v as unknown as { items: readonly unknown[] }).items.map(String).join(' ');
    if (fields[i]?.format === 1) {
      const enc = binaryEncoder(t);
      if (!enc)
        throw new PgError(
          '0A000',
          `binary format is not supported for column "${fields[i].name}" (${t.toString()}); ask for text`,
        );
      return enc;
    }
    return textEncoder(t);
  });
}

export function bindParams(
  p: DuckDBPreparedStatement,
  params: readonly (BoundParam | null)[],
): void {
  p.clearBindings();
  params.forEach((v, i) => {
    if (v === null) p.bindNull(i + 1);
    else p.bindValue(i + 1, v.value, v.type);
  });
}

/**
 * A running statement whose rows are sent in batches (Execute with a row limit leaves it
 * suspended). Holds DuckDB's streaming result until it is done, closed, or drained into memory
 * because its connection is needed for something else.
 */
export class Portal {
  private result: DuckDBResult | undefined;
  /** Chunks read and not yet sent; rows of the first before `offset` are sent. */
  private buffered: DuckDBDataChunk[] = [];
  private offset = 0;
  private exhausted = false;
  private rowsSent = 0;
  private types: DuckDBType[] = [];
  private encoders: Encoder[] = [];
  private text: boolean[] = [];
  fields: FieldDescription[] = [];

  constructor(
    readonly statementType: StatementType,
    readonly tagBase: string,
    readonly conn: DuckDBConnection,
    private readonly release: () => void,
  ) {}

  /** Rows sent so far. */
  get rowCount(): number {
    return this.rowsSent;
  }

  get done(): boolean {
    return this.exhausted && this.buffered.length === 0;
  }

  /** Starts the statement; for row-returning statements the fields are known afterwards. */
  async start(
    prepared: DuckDBPreparedStatement,
    params: readonly (BoundParam | null)[],
    formats: readonly number[],
  ): Promise<void> {
    bindParams(prepared, params);
    const result = await prepared.stream();
    this.result = result;
    if (result.returnType === ResultReturnType.QUERY_RESULT && !this.isPlainDml()) {
      const types = result.columnTypes();
      this.types = types;
      this.fields = describeColumns(result.columnNames(), types, formats);
      this.encoders = encodersFor(types, this.fields);
      this.text = fastText(this.fields);
    } else {
      this.rowsChangedCount = await this.readChanged(result);
      this.exhausted = true;
      this.finish();
    }
  }

  private rowsChangedCount = 0;

  private isPlainDml(): boolean {
    return this.tagBase === 'DML';
  }

  private async readChanged(result: DuckDBResult): Promise<number> {
    if (result.returnType === ResultReturnType.CHANGED_ROWS) return result.rowsChanged;
    if (this.isPlainDml()) {
      const rows = await result.getRows();
      return Number(rows[0]?.[0] ?? 0);
    }
    return 0;
  }

  /** Sends up to `maxRows` rows (0 = all). Returns 'done' with the CommandComplete tag, or 'suspended'. */
  async fetch(
    maxRows: number,
    sink: RowSink,
  ): Promise<{ state: 'done'; tag: string } | { state: 'suspended' }> {
    const w = new DataRowBuffer();
    let sent = 0;
    const want = maxRows > 0 ? maxRows : Number.POSITIVE_INFINITY;
    while (sent < want) {
      const chunk = this.buffered[0];
      if (chunk === undefined) {
        if (this.exhausted) break;
        const next = await this.nextChunk();
        if (next === undefined) break;
        this.buffered.push(next);
        // All rows wanted: DuckDB reads the next chunk in its threads while this one is written.
        if (maxRows === 0) this.readAhead();
        continue;
      }
      const take = Math.min(chunk.rowCount - this.offset, want - sent);
      writeChunkRows(
        w,
        chunk,
        this.types,
        this.encoders,
        this.text,
        this.offset,
        this.offset + take,
      );
      this.offset += take;
      if (this.offset >= chunk.rowCount) {
        this.buffered.shift();
        this.offset = 0;
      }
      sent += take;
      if (w.pos > FLUSH_BYTES) await sink(w.take());
    }
    if (w.pos > 0) await sink(w.take());
    this.rowsSent += sent;
    if (this.done) {
      this.finish();
      return { state: 'done', tag: this.tag() };
    }
    return { state: 'suspended' };
  }

  /**
   * Sends every remaining row as COPY data, one CopyData message per row as PostgreSQL does,
   * in text form written by `line`. Returns the number of rows.
   */
  async copyOut(
    line: (cells: readonly (string | null)[]) => string,
    sink: RowSink,
  ): Promise<number> {
    const parts: Buffer[] = [];
    let bytes = 0;
    let rows = 0;
    const enc = this.encoders;
    for (;;) {
      if (this.buffered.length === 0) {
        if (this.exhausted) break;
        const chunk = await this.nextChunk();
        if (chunk === undefined) break;
        this.buffered.push(chunk);
      }
      const chunk = this.buffered.shift()!;
      const values = chunk.getRows().slice(this.offset) as DuckDBValue[][];
      this.offset = 0;
      for (const row of values) {
        const cells = row.map((v, c) =>
          v === null || v === undefined ? null : String(enc[c]!(v)),
        );
        const b = msg.copyData(line(cells));
        parts.push(b);
        bytes += b.length;
        rows++;
        if (bytes > FLUSH_BYTES) {
          await sink(Buffer.concat(parts));
          parts.length = 0;
          bytes = 0;
        }
      }
    }
    if (parts.length > 0) await sink(Buffer.concat(parts));
    this.rowsSent += rows;
    this.finish();
    return rows;
  }

  /** A chunk being read ahead of the one being written (`readAhead`). */
  private ahead: Promise<DuckDBDataChunk | undefined> | undefined;

  private nextChunk(): Promise<DuckDBDataChunk | undefined> {
    const next = this.ahead ?? this.readChunk();
    this.ahead = undefined;
    return next;
  }

  /**
   * Starts reading the next chunk now. Only while every row is wanted: the portal then reads
   * on to the end (or fails), so a chunk read ahead is never left behind on a connection that
   * runs something else.
   */
  private readAhead(): void {
    if (this.ahead || this.exhausted || !this.result) return;
    const next = this.readChunk();
    // Its error, if any, is thrown where it is awaited (`nextChunk`); not unhandled meanwhile.
    next.catch(() => undefined);
    this.ahead = next;
  }

  private async readChunk(): Promise<DuckDBDataChunk | undefined> {
    if (!this.result) return undefined;
    const chunk = await this.result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) {
      this.exhausted = true;
      return undefined;
    }
    return chunk;
  }

  /** Reads the rest of the result into memory so the connection is free for other statements. */
  async drain(): Promise<void> {
    if (this.exhausted || !this.result) return;
    for (;;) {
      const chunk = await this.nextChunk();
      if (chunk === undefined) break;
      this.buffered.push(chunk);
    }
    this.finish();
  }

  get streaming(): boolean {
    return !this.exhausted && this.result !== undefined;
  }

  tag(): string {
    switch (this.statementType) {
      case StatementType.SELECT:
        return `SELECT ${this.rowsSent}`;
      case StatementType.INSERT:
        return `INSERT 0 ${this.fields.length > 0 ? this.rowsSent : this.rowsChangedCount}`;
      case StatementType.UPDATE:
        return `UPDATE ${this.fields.length > 0 ? this.rowsSent : this.rowsChangedCount}`;
      case StatementType.DELETE:
        return `DELETE ${this.fields.length > 0 ? this.rowsSent : this.rowsChangedCount}`;
      case StatementType.COPY:
        return `COPY ${this.rowsChangedCount}`;
      default:
        return this.fields.length > 0 && this.tagBase === 'SELECT'
          ? `SELECT ${this.rowsSent}`
          : this.tagBase;
    }
  }

  private finished = false;

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.result = undefined;
    this.release();
  }

  /** Drops the portal; a streaming result is abandoned. */
  close(): void {
    this.exhausted = true;
    this.buffered = [];
    this.finish();
  }
}
